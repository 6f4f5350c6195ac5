package exporter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// Options configure an Exporter.
type Options struct {
	Config  watch.ServeConfig // defaults applied by New
	Checker watch.Checker     // used by background runs and /probe
	// Targets are checked in the background every Config.Interval; none
	// means /probe only.
	Targets []string
	// Runner, if set, records background runs in the state database
	// (history, changes, alerts) instead of calling Checker directly.
	Runner *watch.Runner
	Now    func() time.Time
	Log    *slog.Logger
}

// Exporter serves /metrics, /probe and /healthz.
type Exporter struct {
	opt     Options
	reg     *prometheus.Registry
	snap    *snapshotCollector
	queries *queryMetrics
	probe   *prober
}

// New builds an exporter with its own registry (no global state, so tests
// and several exporters in one process do not collide).
func New(opt Options) (*Exporter, error) {
	if opt.Checker == nil {
		return nil, errors.New("exporter: no checker")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	opt.Config = (watch.Config{Serve: opt.Config}).WithDefaults().Serve
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	e := &Exporter{opt: opt, reg: reg, snap: &snapshotCollector{}, queries: newQueryMetrics(reg)}
	reg.MustRegister(e.snap)
	e.probe = newProber(opt.Config, opt.Checker, opt.Now, e.queries.probes)
	return e, nil
}

// Observe is the dnsbl.Observer to pass to the checker: it feeds the
// query counters and the duration histogram.
func (e *Exporter) Observe(ev dnsbl.QueryEvent) { e.queries.observe(ev) }

// Handler routes the exporter's endpoints.
func (e *Exporter) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(e.reg, promhttp.HandlerOpts{Registry: e.reg, EnableOpenMetrics: true}))
	mux.HandleFunc("GET /probe", e.probe.serveHTTP)
	mux.HandleFunc("GET /healthz", e.healthz)
	mux.HandleFunc("GET /{$}", e.index)
	return mux
}

// healthz is 200 once the exporter is serving; a failed last run is a
// metric (dnsblaudit_last_run_success), not a reason to restart us.
func (e *Exporter) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (e *Exporter) index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<html><head><title>dnsblaudit exporter</title></head><body><h1>dnsblaudit exporter</h1>
<p><a href="metrics">/metrics</a> (background checks) · <a href="healthz">/healthz</a> · /probe?target=IP</p></body></html>`)
}

// RunOnce does one background run and publishes it.
func (e *Exporter) RunOnce(ctx context.Context) error {
	start := e.opt.Now()
	results, health, err := e.check(ctx)
	finished := e.opt.Now()
	if err != nil {
		e.queries.runs.WithLabelValues("failed").Inc()
		prev := e.snap.get()
		prev.ok, prev.ran, prev.finished, prev.duration = false, true, finished, finished.Sub(start)
		e.snap.set(prev) // keep the last good results; say the run failed
		return err
	}
	e.queries.runs.WithLabelValues("ok").Inc()
	e.snap.set(snapshot{results: results, health: health, finished: finished, duration: finished.Sub(start), ok: true, ran: true})
	return nil
}

func (e *Exporter) check(ctx context.Context) ([]dnsbl.Result, []watch.ListHealth, error) {
	if e.opt.Runner != nil {
		rep, err := e.opt.Runner.Run(ctx, e.opt.Targets)
		if rep != nil { // recorded; an alert failure is logged, not a failed run
			if err != nil {
				e.opt.Log.Warn("alert not delivered", "err", err)
			}
			return rep.Results, rep.Health, nil
		}
		return nil, nil, err
	}
	out, err := e.opt.Checker.Check(ctx, e.opt.Targets)
	return out.Results, out.Health, err
}

// Run does background runs every Config.Interval until ctx ends.
func (e *Exporter) Run(ctx context.Context) {
	if len(e.opt.Targets) == 0 {
		return
	}
	t := time.NewTicker(e.opt.Config.Interval)
	defer t.Stop()
	for {
		if err := e.RunOnce(ctx); err != nil && ctx.Err() == nil {
			e.opt.Log.Warn("background run failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
