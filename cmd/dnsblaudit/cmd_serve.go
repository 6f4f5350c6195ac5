package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/exporter"
	"github.com/dnsblaudit/dnsblaudit/state"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// serveCommand runs the Prometheus exporter.
func serveCommand() *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "Prometheus exporter: background checks on /metrics, per-target /probe, /healthz",
		ArgsUsage: "[TARGET...] (default: targets from the config; none: /probe only)",
		Description: "Checks run in the background every --interval; a scrape only reads the last results.\n" +
			"/probe?target=IP checks one target (cached, rate limited) for hashmod-sharded jobs.\n" +
			"With --state (or state in the config), background runs are recorded as watch runs:\n" +
			"history, change detection and the configured alerts.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Usage: "listen `ADDRESS`", DefaultText: "watch.serve.listen, else 127.0.0.1:9153", EnvVars: envVar("listen")},
			&cli.DurationFlag{Name: "interval", Usage: "time between background runs", DefaultText: "watch.serve.interval, else 5m"},
			&cli.StringFlag{Name: flagResolver, Usage: "DNS resolver `HOST:PORT` (overrides dnsbl.resolver)", EnvVars: envVar(flagResolver)},
			&cli.BoolFlag{Name: "no-alerts", Usage: "with a state file: record runs but send no mail and run no hook"},
		},
		Action: runServe,
	}
}

func runServe(c *cli.Context) error {
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	wcfg := cfg.Watch
	if c.IsSet("listen") {
		wcfg.Serve.Listen = c.String("listen")
	}
	if c.IsSet("interval") {
		wcfg.Serve.Interval = c.Duration("interval")
	}
	if wcfg, err = watchConfig(c, wcfg, cfg.Notify); err != nil {
		return err
	}
	targets := c.Args().Slice()
	if len(targets) == 0 {
		targets = cfg.Targets
	}
	ctx, stop := signalContext(c)
	defer stop()
	db, err := serveState(ctx, c, cfg.State)
	if err != nil {
		return err
	}
	if db != nil {
		defer db.Close()
	}
	var exp *exporter.Exporter
	dck, err := newWatchChecker(ctx, c, cfg.DNSBL, func(ev dnsbl.QueryEvent) { exp.Observe(ev) }, db)
	if err != nil {
		return err
	}
	defer dck.Close()
	warnQuotas(dck, targets, wcfg.Serve.Interval)
	ck := watch.DNSBL(dck)
	runner, err := serveRunner(c, db, wcfg, ck, secretEnvNames(cfg, wcfg))
	if err != nil {
		return err
	}
	exp, err = exporter.New(exporter.Options{Config: wcfg.Serve, Checker: ck, Targets: targets, Runner: runner})
	if err != nil {
		return err
	}
	return serveHTTP(ctx, c.App.Writer, wcfg.Serve.Listen, exp)
}

// serveState opens the state file when one is named (by --state or the
// config); without one the exporter keeps no history (nil).
func serveState(ctx context.Context, c *cli.Context, cfgState string) (*state.DB, error) {
	path := c.String(flagState)
	if path == "" {
		path = cfgState
	}
	if path == "" {
		return nil, nil
	}
	return state.Open(ctx, path, state.Options{})
}

// serveRunner records background runs when there is a state file.
func serveRunner(c *cli.Context, db *state.DB, wcfg watch.Config, ck watch.Checker, secretEnv []string) (*watch.Runner, error) {
	if db == nil {
		return nil, nil
	}
	alerts, err := watchAlerts(c, wcfg, secretEnv)
	if err != nil {
		return nil, err
	}
	r := watch.NewRunner(wcfg, ck, db, alerts...)
	r.Source = "serve"
	return r, nil
}

// serveHTTP listens, runs the background checks and shuts down cleanly on
// SIGINT/SIGTERM.
func serveHTTP(ctx context.Context, stdout io.Writer, listen string, exp *exporter.Exporter) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", listen, err)
	}
	srv := &http.Server{Handler: exp.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go exp.Run(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// the actual address, for --listen with port 0 and for the journal
	fmt.Fprintf(stdout, "dnsblaudit serve: listening on http://%s/metrics\n", ln.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
