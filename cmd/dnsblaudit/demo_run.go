package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/demo"
	"github.com/dnsblaudit/dnsblaudit/investigate"
	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// demoDNSBL is the check configuration of the demo: only its own lists,
// through its own server, with a short timeout for the broken list.
func demoDNSBL(env *demo.Env) dnsbl.Config {
	return dnsbl.Config{Resolver: env.DNS.Addr, Lists: demo.Lists(env.Zones), NoCatalogue: true, Timeout: time.Second}
}

// demoCheck runs the check and prints it with check's own text output.
// The listing it shows is the story, not a failure: its exit status is
// dropped.
func demoCheck(c *cli.Context, s demo.Story, env *demo.Env) error {
	chk, err := dnsbl.NewChecker(demoDNSBL(env), dnsbl.WithClock(demoClock(s)))
	if err != nil {
		return err
	}
	defer chk.Close()
	rep, err := chk.Check(c.Context, append([]string{s.MX}, s.Domains...), nil)
	if err != nil {
		return err
	}
	if err := writeCheck(c.App.Writer, rep, "text", thresholds{warning: 1, critical: 1}); err != nil {
		var ee *exitError
		if !errors.As(err, &ee) {
			return err
		}
	}
	return nil
}

// demoInvestigate runs investigate against the loopback world and writes
// the case to out.
func demoInvestigate(c *cli.Context, s demo.Story, env *demo.Env, work, set, out string) (*investigate.Case, error) {
	ctx := c.Context
	now := demoClock(s)
	logDir := filepath.Join(work, "logs")
	if err := os.MkdirAll(logDir, 0o750); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	logs, err := demo.WriteLogs(logDir, set)
	if err != nil {
		return nil, err
	}
	statePath := filepath.Join(work, "state.db")
	if err := demo.SeedHistory(ctx, statePath, s, env.Zones); err != nil {
		return nil, err
	}
	reg := env.Registry
	w := wiring{dnsbl: demoDNSBL(env), statePath: statePath, now: now, whois: whoisctx.Config{
		WhoisServer: reg.WHOIS.Addr(), RDAPURL: reg.RDAP.URL(), DNSServers: []string{reg.DNS.Addr()},
		LookupSpecial: true, MinInterval: -1, Timeout: 10 * time.Second, QueryTimeout: 3 * time.Second}}
	scanner, err := demoScanner(s, logs)
	if err != nil {
		return nil, err
	}
	b, err := w.build(ctx, scanner)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	kase, err := b.inv.Run(ctx, investigate.Request{Subject: s.MX, Domains: s.Domains})
	if err != nil {
		return nil, err
	}
	nr, err := demoNotices(s, now)
	if err != nil {
		return nil, err
	}
	return kase, investigate.WriteDir(ctx, out, kase, nr)
}

// demoScanner reads the sample logs as UTC, dating their year-less
// syslog stamps by the story's clock rather than the files' mtime.
func demoScanner(s demo.Story, logs []string) (scanPart, error) {
	o, err := evidence.OptionsFromConfig(evidence.Config{TimeZone: "UTC"}, s.Domains, s.Networks, logs)
	if err != nil {
		return scanPart{}, err
	}
	o.Now, o.YearReference = demoClock(s), s.Now
	return scanPart{opts: o}, nil
}

// demoNotices signs as the story's postmaster, with Message-IDs numbered
// from the story's clock so that the rendered files are the same each run.
func demoNotices(s demo.Story, now func() time.Time) (noticePart, error) {
	np, err := newNoticeRenderer(notify.Config{From: s.From, Name: "Pat Postmaster", Organisation: "Example Mail", MXIPs: []string{s.MX, s.Gateway}}, "UTC", now)
	if err != nil {
		return noticePart{}, err
	}
	n := 0
	np.opts.MessageID = func() string {
		n++
		return fmt.Sprintf("%s.%d.demo@example.com", s.Now.Format("20060102T150405"), n)
	}
	return np, nil
}
