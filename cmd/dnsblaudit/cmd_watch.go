package main

import (
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/state"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// watchCommand runs scheduled checks and reports changes against history.
func watchCommand() *cli.Command {
	return &cli.Command{
		Name:      "watch",
		Usage:     "check on a schedule and report what changed since the previous runs",
		ArgsUsage: "[TARGET...] (default: targets from the config)",
		Description: "One run per invocation, for cron or a systemd timer; --every keeps running in the\n" +
			"foreground until SIGINT or SIGTERM. Prints nothing when nothing changed (unless\n" +
			"--summary). Exit status as for check: 0 clean, 1 warning (indefinite verdicts,\n" +
			"unhealthy lists), 2 listed, 3 unable to check or an alert could not be delivered.",
		Flags: []cli.Flag{
			&cli.DurationFlag{Name: "every", Usage: "stay in the foreground and run at this interval", DefaultText: "watch.every, else one run", EnvVars: envVar("every")},
			&cli.IntFlag{Name: "confirm-runs", Usage: "consecutive runs that must agree before a change counts", DefaultText: "watch.confirm_runs, else 2"},
			&cli.DurationFlag{Name: "lock-wait", Usage: "how long to wait for an overlapping run", DefaultText: "watch.lock_wait, else 30s"},
			&cli.StringFlag{Name: flagResolver, Usage: "DNS resolver `HOST:PORT` (overrides dnsbl.resolver)", EnvVars: envVar(flagResolver)},
			&cli.BoolFlag{Name: "summary", Usage: "print a summary line after every run, even without changes"},
			&cli.BoolFlag{Name: "no-alerts", Usage: "record and print changes, but send no mail and run no hook"},
		},
		Action: runWatch,
	}
}

func runWatch(c *cli.Context) error {
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	outFormat, err := format(c, "text", "json")
	if err != nil {
		return err
	}
	wcfg, err := watchConfig(c, cfg.Watch, cfg.Notify)
	if err != nil {
		return err
	}
	targets, err := commandTargets(c, cfg.Targets)
	if err != nil {
		return err
	}
	alerts, err := watchAlerts(c, wcfg, secretEnvNames(cfg, wcfg))
	if err != nil {
		return err
	}
	path, err := statePath(c, cfg)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(c)
	defer stop()
	db, err := state.Open(ctx, path, state.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	ck, err := newWatchChecker(ctx, c, cfg.DNSBL, nil, db)
	if err != nil {
		return err
	}
	defer ck.Close()
	warnQuotas(ck, targets, wcfg.Every)
	runner := watch.NewRunner(wcfg, watch.DNSBL(ck), db, alerts...)
	out := &watchPrinter{w: c.App.Writer, errw: c.App.ErrWriter, format: outFormat, summary: c.Bool("summary")}
	if wcfg.Every == 0 {
		rep, err := runner.Run(ctx, targets)
		return out.finish(rep, err)
	}
	return runner.Loop(ctx, targets, wcfg.Every, func(rep *watch.Report, err error) {
		out.print(rep, err)
	})
}

// watchConfig applies the flags over the config section, completes the
// mail settings from notify's, and validates.
func watchConfig(c *cli.Context, wc watch.Config, n notify.Config) (watch.Config, error) {
	if c.IsSet("every") {
		wc.Every = c.Duration("every")
	}
	if c.IsSet("confirm-runs") {
		wc.ConfirmRuns = c.Int("confirm-runs")
		if wc.ConfirmRuns < 1 {
			return wc, fmt.Errorf("--confirm-runs %d: want at least 1", wc.ConfirmRuns)
		}
	}
	if c.IsSet("lock-wait") {
		wc.LockWait = c.Duration("lock-wait")
		if wc.LockWait == 0 {
			wc.LockWait = time.Nanosecond // "0": do not wait
		}
	}
	var err error
	if wc.Mail, err = mailSettings(wc.Mail, n); err != nil {
		return wc, err
	}
	if err := wc.Validate(); err != nil {
		return wc, err
	}
	return wc.WithDefaults(), nil
}

// commandTargets are the arguments, else the config's targets.
func commandTargets(c *cli.Context, fromConfig []string) ([]string, error) {
	if c.Args().Len() > 0 {
		return c.Args().Slice(), nil
	}
	if len(fromConfig) == 0 {
		return nil, errors.New("no targets: give them as arguments or in the config's targets")
	}
	return fromConfig, nil
}

// watchAlerts builds the configured alert channels.
func watchAlerts(c *cli.Context, wc watch.Config, secretEnv []string) ([]watch.Alerter, error) {
	if c.Bool("no-alerts") {
		return nil, nil
	}
	var alerts []watch.Alerter
	if wc.Mail.Enabled() {
		m, err := watch.NewSMTPMailer(wc.Mail, time.Now)
		if err != nil {
			return nil, err
		}
		alerts = append(alerts, watch.MailAlert{Mailer: m})
	}
	if len(wc.Exec) > 0 {
		// found now, not at the first change weeks later
		if _, err := exec.LookPath(wc.Exec[0]); err != nil {
			return nil, fmt.Errorf("watch.exec: %w", err)
		}
		alerts = append(alerts, watch.ExecHook{Argv: wc.Exec, Timeout: wc.ExecTimeout, HideEnv: secretEnv})
	}
	return alerts, nil
}
