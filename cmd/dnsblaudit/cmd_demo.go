package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/internal/demo"
	"github.com/dnsblaudit/dnsblaudit/investigate"
)

const flagDemoLogs = "logs"

// demoCommand plays the whole story offline (issues 2 and 7): blocklists,
// logs, registries and the case, all on 127.0.0.1.
func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "play the whole story offline: check, evidence, abuse contacts and a case, on loopback only",
		Description: "Serves a small set of blocklists on 127.0.0.1 (one lists the demo MX \"as a source of dictionary\n" +
			"attacks\", one is healthy, one lists the world, one refuses, one is parked, one is broken), checks the MX\n" +
			"against them showing every kind of verdict, then investigates the listing: sample spamd, spamdb and\n" +
			"Postfix logs, fake RDAP and WHOIS registries on loopback, and a case directory in a temporary folder.\n" +
			"Nothing leaves the machine. The demo MX is listed on purpose: that is the story, so the demo exits 0\n" +
			"when it ran (unlike check, whose exit status 2 means listed).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagOut, Aliases: []string{"o"}, Usage: "write the case to `DIR` (default: a new temporary folder)"},
			&cli.StringFlag{Name: flagDemoLogs, Value: demo.LogsStory, Usage: "sample logs: story, nocallouts (the same spam without probes), or backscatter (the MX's own bounces to forged senders are the cause)"},
		},
		Action: runDemo,
	}
}

func runDemo(c *cli.Context) error {
	if err := setupLogging(c); err != nil {
		return err
	}
	if _, err := format(c, "text"); err != nil {
		return err
	}
	set := c.String(flagDemoLogs)
	if set != demo.LogsStory && set != demo.LogsNoCallouts && set != demo.LogsBackscatter {
		return fmt.Errorf("--%s %q: want %s, %s or %s", flagDemoLogs, set, demo.LogsStory, demo.LogsNoCallouts, demo.LogsBackscatter)
	}
	s := demo.Default()
	env, err := demo.Start(s)
	if err != nil {
		return err
	}
	defer env.Close()
	work, err := os.MkdirTemp("", "dnsblaudit-demo-")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	out := c.String(flagOut)
	if out == "" {
		out = filepath.Join(work, "case")
	}
	w := c.App.Writer
	fmt.Fprintf(w, "dnsblaudit demo: everything below runs on 127.0.0.1 (blocklists on %s).\n\n", env.DNS.Addr)
	fmt.Fprintf(w, "== 1. check %s and %s against the demo's blocklists\n\n", s.MX, s.Domains[0])
	if err := demoCheck(c, s, env); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n(check would exit 2 here, for the listing; the demo exits 0 when it ran: the listing is its story.)")
	fmt.Fprintf(w, "\n== 2. investigate the listing: history, sample logs (%s), abuse contacts, notices\n\n", set)
	kase, err := demoInvestigate(c, s, env, work, set, out)
	if err != nil {
		return err
	}
	printCase(w, kase, out)
	fmt.Fprintf(w, "\nOpen %s in a browser: it loads nothing from the network.\n", filepath.Join(out, investigate.HTMLFile))
	return nil
}

// demoClock is the story's fixed time, so every run prints the same.
func demoClock(s demo.Story) func() time.Time { return func() time.Time { return s.Now } }
