package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// Flags of check (shared ones are in flags.go).
const (
	flagResolver    = "resolver"
	flagZone        = "zone"
	flagList        = "list"
	flagTimeout     = "timeout"
	flagConcurrency = "concurrency"
	flagRetries     = "retries"
	flagWarning     = "warning"
	flagCritical    = "critical"
	flagNoProgress  = "no-progress"
	flagShowLists   = "show-lists"
)

// checkClock is the clock of check reports; tests fix it so that output
// is byte-stable.
var checkClock = time.Now

// checkCommand checks targets against DNS blocklists once.
func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check IPs, networks, hostnames and domains against DNS blocklists",
		ArgsUsage: "[TARGET...] (IP, CIDR up to /20 or /116, hostname, domain; default: targets from the config)",
		Description: "Every lookup gets exactly one verdict: listed, not_listed, refused (the list would\n" +
			"not answer: public resolver, quota, wrong query), error (timeout, SERVFAIL, REFUSED),\n" +
			"bogus (answer outside 127.0.0.0/8) or unknown (the list failed its RFC 5782 health\n" +
			"checks in this run). Exit status (Nagios convention): 0 clean, 1 warning (--warning\n" +
			"listings, or a warning such as a public resolver or a dead list), 2 listed (--critical\n" +
			"listings), 3 unable to check (bad input, or any lookup without a definite verdict).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagFormat, Usage: "output `FORMAT`: text, json, nagios (also accepted before the command)"},
			&cli.StringFlag{Name: flagResolver, Usage: "DNS resolver `HOST:PORT` (default: dnsbl.resolver, else /etc/resolv.conf)", EnvVars: envVar(flagResolver)},
			&cli.StringSliceFlag{Name: flagZone, Usage: "check this DNS list `ZONE` (ZONE, ZONE:ipv4, ZONE:ipv6, ZONE:both or ZONE:domain; repeatable); only the zones and lists given are checked"},
			&cli.StringSliceFlag{Name: flagList, Usage: "check this catalogue list `NAME` (repeatable; see --show-lists)"},
			&cli.DurationFlag{Name: flagTimeout, Usage: "longest wait for an answer to one transmission; earlier retransmissions wait less, from the measured round trip", DefaultText: dnsbl.DefaultTimeout.String(), EnvVars: envVar("dnsbl-timeout")},
			&cli.IntFlag{Name: flagRetries, Usage: "retransmissions after a timeout", DefaultText: strconv.Itoa(dnsbl.DefaultRetries)},
			&cli.IntFlag{Name: flagConcurrency, Usage: "lookups in flight", DefaultText: strconv.Itoa(dnsbl.DefaultConcurrency), EnvVars: envVar(flagConcurrency)},
			&cli.IntFlag{Name: flagWarning, Aliases: []string{"w"}, Value: 1, Usage: "exit 1 (WARNING) from this many listings"},
			&cli.IntFlag{Name: flagCritical, Aliases: []string{"c"}, Value: 1, Usage: "exit 2 (CRITICAL) from this many listings"},
			&cli.BoolFlag{Name: flagNoProgress, Usage: "no progress bar on stderr"},
			&cli.BoolFlag{Name: flagShowLists, Usage: "print the built-in catalogue of lists and exit"},
		},
		Action: runCheck,
	}
}

func runCheck(c *cli.Context) error {
	if c.Bool(flagShowLists) {
		return printCatalogue(c.App.Writer, dnsbl.DefaultCatalogue())
	}
	// Logging is set up here as well as in the app's Before hook, so a bad
	// --log-level fails before any query is sent however check is reached.
	if err := setupLogging(c); err != nil {
		return err
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	outFormat, err := checkFormat(c)
	if err != nil {
		return err
	}
	th, err := checkThresholds(c)
	if err != nil {
		return err
	}
	dc, err := checkConfig(c, cfg.DNSBL)
	if err != nil {
		return err
	}
	targets, err := checkTargets(c, cfg.Targets)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(c)
	defer stop()
	opts, closeState := checkStateOptions(ctx, c, cfg.State)
	defer closeState()
	ck, err := dnsbl.NewChecker(dc, append(opts, dnsbl.WithClock(checkClock))...)
	if err != nil {
		return err
	}
	defer ck.Close()
	bar := newCheckProgress(c.App.ErrWriter, outFormat, c.Bool(flagNoProgress))
	rep, err := ck.Check(ctx, targets, bar.update)
	bar.finish()
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("check interrupted: %w", err)
	}
	if err != nil {
		return err
	}
	return writeCheck(c.App.Writer, rep, outFormat, th)
}

func contextOf(c *cli.Context) context.Context {
	if c.Context != nil {
		return c.Context
	}
	return context.Background()
}
