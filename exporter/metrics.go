package exporter

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

const namespace = "dnsblaudit"

// Metric descriptions of the last background run; they are emitted from a
// snapshot so that a scrape always sees one complete run.
var (
	descListed = prometheus.NewDesc(namespace+"_listed",
		"1 if the target is listed on the list in the last run, else 0 (see dnsblaudit_verdict for indefinite answers).",
		[]string{"target", "list"}, nil)
	descVerdict = prometheus.NewDesc(namespace+"_verdict",
		"The verdict of the last run for (target, list): always 1, the verdict is the label.",
		[]string{"target", "list", "verdict"}, nil)
	descHealthy = prometheus.NewDesc(namespace+"_list_healthy",
		"1 if the list passed its RFC 5782 health checks in the last run.",
		[]string{"list", "status"}, nil)
	descVerdicts = prometheus.NewDesc(namespace+"_verdicts",
		"Results of the last run by verdict.",
		[]string{"verdict"}, nil)
	descLastRun = prometheus.NewDesc(namespace+"_last_run_timestamp_seconds",
		"When the last background run finished (Unix time).", nil, nil)
	descLastDuration = prometheus.NewDesc(namespace+"_last_run_duration_seconds",
		"How long the last background run took.", nil, nil)
	descLastSuccess = prometheus.NewDesc(namespace+"_last_run_success",
		"1 if the last background run completed.", nil, nil)
	descTargets = prometheus.NewDesc(namespace+"_targets",
		"Addresses and domains checked in the last run.", nil, nil)
)

// verdicts are every verdict, so dnsblaudit_verdicts always has all seven.
var verdicts = []dnsbl.Verdict{dnsbl.Listed, dnsbl.NotListed, dnsbl.Refused, dnsbl.Error, dnsbl.Bogus, dnsbl.Unknown, dnsbl.Unchecked}

// snapshot is one run's results as the metrics show them.
type snapshot struct {
	results  []dnsbl.Result
	health   []watch.ListHealth
	finished time.Time
	duration time.Duration
	ok       bool
	ran      bool
}

// snapshotCollector emits the last snapshot.
type snapshotCollector struct {
	mu   sync.RWMutex
	snap snapshot
}

func (c *snapshotCollector) set(s snapshot) {
	c.mu.Lock()
	c.snap = s
	c.mu.Unlock()
}

func (c *snapshotCollector) get() snapshot {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.snap
}

func (c *snapshotCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descListed, descVerdict, descHealthy, descVerdicts, descLastRun, descLastDuration, descLastSuccess, descTargets} {
		ch <- d
	}
}

func (c *snapshotCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.get()
	if !s.ran {
		return // no run yet: no data is better than zeros that read as "clean"
	}
	collectResults(ch, s.results)
	collectHealth(ch, s.health)
	ch <- prometheus.MustNewConstMetric(descLastRun, prometheus.GaugeValue, float64(s.finished.UnixNano())/1e9)
	ch <- prometheus.MustNewConstMetric(descLastDuration, prometheus.GaugeValue, s.duration.Seconds())
	ch <- prometheus.MustNewConstMetric(descLastSuccess, prometheus.GaugeValue, boolValue(s.ok))
}

// collectResults emits per (target, list) series, once per pair even when
// two configured targets reach the same address.
func collectResults(ch chan<- prometheus.Metric, results []dnsbl.Result) {
	counts := map[dnsbl.Verdict]int{}
	seen := map[[2]string]bool{}
	targets := map[string]bool{}
	for _, r := range results {
		counts[r.Verdict]++
		key := [2]string{watch.TargetKey(r), r.List}
		targets[key[0]] = true
		if seen[key] {
			continue
		}
		seen[key] = true
		ch <- prometheus.MustNewConstMetric(descListed, prometheus.GaugeValue, boolValue(r.Verdict == dnsbl.Listed), key[0], key[1])
		ch <- prometheus.MustNewConstMetric(descVerdict, prometheus.GaugeValue, 1, key[0], key[1], string(r.Verdict))
	}
	for _, v := range verdicts {
		ch <- prometheus.MustNewConstMetric(descVerdicts, prometheus.GaugeValue, float64(counts[v]), string(v))
	}
	ch <- prometheus.MustNewConstMetric(descTargets, prometheus.GaugeValue, float64(len(targets)))
}

func collectHealth(ch chan<- prometheus.Metric, health []watch.ListHealth) {
	for _, h := range health {
		ch <- prometheus.MustNewConstMetric(descHealthy, prometheus.GaugeValue, boolValue(h.Healthy), h.List, h.Status)
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// queryMetrics count and time every DNS query (fed by dnsbl's Observer).
type queryMetrics struct {
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
	queries  *prometheus.CounterVec
	runs     *prometheus.CounterVec
	probes   *prometheus.CounterVec
	seen     sync.Map // list name -> struct{}: error series initialised
}

// errorKinds are the values of the "kind" label of query_errors_total.
var errorKinds = []string{"timeout", "servfail", "refused", "network", "other"}

func newQueryMetrics(reg prometheus.Registerer) *queryMetrics {
	m := &queryMetrics{
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "query_duration_seconds",
			Help: "DNS query wall time per list, retries included (cached answers not observed).",
			// from a local rbldnsd (<1 ms) to the default 2 s timeout x 3 tries
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"list"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "query_errors_total",
			Help: "DNS queries that failed after retries, per list and kind (timeout, servfail, refused, network, other).",
		}, []string{"list", "kind"}),
		queries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "queries_total",
			Help: "DNS queries per list, answered from the cache or not.",
		}, []string{"list", "cached"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "runs_total",
			Help: "Background runs by result (ok, failed).",
		}, []string{"result"}),
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "probes_total",
			Help: "/probe requests by outcome (fresh, cached, stale, rate_limited, bad_target, failed).",
		}, []string{"outcome"}),
	}
	reg.MustRegister(m.duration, m.errors, m.queries, m.runs, m.probes)
	for _, r := range []string{"ok", "failed"} {
		m.runs.WithLabelValues(r)
	}
	return m
}

// observe records one query event. Hostname resolution ("" list) is
// counted under list "-".
func (m *queryMetrics) observe(ev dnsbl.QueryEvent) {
	list := ev.List
	if list == "" {
		list = "-"
	}
	if _, loaded := m.seen.LoadOrStore(list, struct{}{}); !loaded {
		// zero series from the first query on, so rate() works before the
		// first error and "no errors" is not "no data"
		for _, k := range errorKinds {
			m.errors.WithLabelValues(list, k)
		}
	}
	m.queries.WithLabelValues(list, boolLabel(ev.Cached)).Inc()
	if !ev.Cached {
		m.duration.WithLabelValues(list).Observe(ev.Duration.Seconds())
	}
	if ev.Err != nil {
		m.errors.WithLabelValues(list, errorKind(ev.Err)).Inc()
	}
}

// errorKind maps an error to a small fixed set: never the message.
func errorKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, dnsbl.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, dnsbl.ErrServFail):
		return "servfail"
	case errors.Is(err, dnsbl.ErrRefusedRcode):
		return "refused"
	case errors.As(err, &ne):
		return "network"
	}
	return "other"
}

func boolLabel(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
