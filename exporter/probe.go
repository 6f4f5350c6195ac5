package exporter

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// probeTimeout bounds one fresh check, and maxProbeWait how long a first
// probe of a target may queue for the rate limit; the job's
// scrape_timeout should cover both (examples/prometheus/prometheus.yml
// uses 30s).
const (
	probeTimeout = 9 * time.Second
	maxProbeWait = 5 * time.Second
)

// prober answers /probe?target=X from a per-target cache, running at most
// ProbeRate fresh checks per second (burst ProbeBurst) across all targets.
// A target seen before is always answered at once (HTTP 200) from its last
// result, with that result's age: when the result is older than
// ProbeCacheTTL a refresh starts in the background, if the rate limit
// allows one. A 429 would make Prometheus mark the scrape failed, the
// series go stale and a firing listing alert resolve. Only a target never
// checked waits for a check (queued up to maxProbeWait); if the rate limit
// cannot fit it in, the answer is probe_success 0 without listing series.
// Concurrent requests for one target share one check.
type prober struct {
	cfg     watch.ServeConfig
	checker watch.Checker
	now     func() time.Time
	limiter *rate.Limiter
	count   *prometheus.CounterVec

	mu      sync.Mutex
	targets map[string]*targetEntries
}

// targetEntries is one target's last completed check and the check in
// flight, if any.
type targetEntries struct {
	last    *probeEntry
	pending *probeEntry
}

type probeEntry struct {
	done     chan struct{} // closed when the check finished
	results  []dnsbl.Result
	health   []watch.ListHealth
	err      error
	finished time.Time
	duration time.Duration
}

func newProber(cfg watch.ServeConfig, ck watch.Checker, now func() time.Time, count *prometheus.CounterVec) *prober {
	return &prober{cfg: cfg, checker: ck, now: now, count: count, targets: map[string]*targetEntries{},
		limiter: rate.NewLimiter(rate.Limit(cfg.ProbeRate), cfg.ProbeBurst)}
}

func (p *prober) serveHTTP(w http.ResponseWriter, r *http.Request) {
	target, err := probeTarget(r.URL.Query().Get("target"))
	if err != nil {
		p.count.WithLabelValues("bad_target").Inc()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	e, outcome := p.get(target)
	if e != nil {
		select {
		case <-e.done:
		case <-r.Context().Done():
			return
		}
		if e.err != nil {
			outcome = "failed"
		}
	}
	p.count.WithLabelValues(outcome).Inc()
	c := probeCollector{e: e, cached: outcome == "cached" || outcome == "stale", stale: outcome == "stale"}
	if e != nil {
		c.age = p.now().Sub(e.finished)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// probeTarget accepts one address or domain name: a CIDR would turn one
// scrape into thousands of queries.
func probeTarget(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("missing target parameter")
	}
	t, err := dnsbl.ParseTarget(s)
	if err != nil {
		return "", err
	}
	if t.Kind == dnsbl.TargetNetwork {
		return "", fmt.Errorf("target %q: /probe takes one address or name, not a network", s)
	}
	return strings.ToLower(s), nil
}

// get returns the entry to answer with and the outcome: "cached" (fresh
// enough), "stale" (older than the TTL; a refresh may be under way),
// "fresh" (a first check, to wait for) or "rate_limited" (nil entry: a
// first check the rate limit cannot fit in).
func (p *prober) get(target string) (*probeEntry, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	t := p.targets[target]
	if t == nil {
		t = &targetEntries{}
	}
	p.collect(t)
	if t.last != nil {
		if now.Sub(t.last.finished) < p.cfg.ProbeCacheTTL && t.last.err == nil {
			return t.last, "cached"
		}
		if t.pending == nil {
			if r := p.limiter.Reserve(); r.OK() && r.Delay() <= maxProbeWait {
				t.pending = p.start(target, r.Delay())
			} else if r.OK() {
				r.Cancel()
			}
		}
		return t.last, "stale"
	}
	if t.pending != nil {
		return t.pending, "cached" // a first check in flight: share it
	}
	r := p.limiter.Reserve()
	if !r.OK() || r.Delay() > maxProbeWait {
		r.Cancel()
		return nil, "rate_limited"
	}
	p.evict(now)
	t.pending = p.start(target, r.Delay())
	p.targets[target] = t
	return t.pending, "fresh"
}

// collect moves a finished check into last. Called with p.mu held. A
// failed refresh does not replace a good result: the good one is served
// with its growing age.
func (p *prober) collect(t *targetEntries) {
	if t.pending == nil {
		return
	}
	select {
	case <-t.pending.done:
		if t.pending.err == nil || t.last == nil {
			t.last = t.pending
		}
		t.pending = nil
	default:
	}
}

// start runs a check of target after wait, detached from the request, so
// that a client that hangs up does not waste the queries already sent.
func (p *prober) start(target string, wait time.Duration) *probeEntry {
	e := &probeEntry{done: make(chan struct{})}
	go func() {
		time.Sleep(wait)
		ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
		defer cancel()
		start := p.now()
		out, err := p.checker.Check(ctx, []string{target})
		e.results, e.health, e.err = out.Results, out.Health, err
		e.finished = p.now()
		e.duration = e.finished.Sub(start)
		close(e.done)
	}()
	return e
}

// evict keeps the cache within ProbeMaxTargets: targets not scraped for
// ten TTLs go first, then the oldest result. Called with p.mu held.
func (p *prober) evict(now time.Time) {
	if len(p.targets) < p.cfg.ProbeMaxTargets {
		return
	}
	var oldest string
	var oldestAt time.Time
	for k, t := range p.targets {
		p.collect(t)
		if t.last == nil {
			continue // first check in flight
		}
		if now.Sub(t.last.finished) >= 10*p.cfg.ProbeCacheTTL && t.pending == nil {
			delete(p.targets, k)
			continue
		}
		if oldest == "" || t.last.finished.Before(oldestAt) {
			oldest, oldestAt = k, t.last.finished
		}
	}
	if len(p.targets) >= p.cfg.ProbeMaxTargets && oldest != "" {
		delete(p.targets, oldest)
	}
}

// Probe metrics follow the blackbox exporter: probe_success and
// probe_duration_seconds, plus the listing per list and name asked of
// this one target. A hostname has several addresses and a subdomain its
// registered domain too, so the name asked ("query") is a label: without
// it two results of one list would be one label set, an HTTP 500.
var (
	descProbeSuccess  = prometheus.NewDesc("probe_success", "1 if at least one list gave a definite verdict and none failed (unchecked families aside).", nil, nil)
	descProbeDuration = prometheus.NewDesc("probe_duration_seconds", "How long the check took (0 when cached).", nil, nil)
	descProbeCached   = prometheus.NewDesc(namespace+"_probe_cached", "1 if this answer came from the probe cache.", nil, nil)
	descProbeStale    = prometheus.NewDesc(namespace+"_probe_stale", "1 if the results served are older than probe_cache_ttl (a refresh runs in the background).", nil, nil)
	descProbeAge      = prometheus.NewDesc(namespace+"_probe_age_seconds", "Age of the results served.", nil, nil)
	descProbeListed   = prometheus.NewDesc(namespace+"_listed", "1 if the name asked is listed on the list, else 0.", []string{"list", "query"}, nil)
	descProbeVerdict  = prometheus.NewDesc(namespace+"_verdict", "The verdict for the name asked on the list: always 1, the verdict is the label.", []string{"list", "query", "verdict"}, nil)
	descProbeHealthy  = prometheus.NewDesc(namespace+"_list_healthy", "1 if the list passed its health checks.", []string{"list", "status"}, nil)
)

type probeCollector struct {
	e      *probeEntry // nil: rate limited before any check
	cached bool
	stale  bool
	age    time.Duration
}

func (c probeCollector) Describe(ch chan<- *prometheus.Desc) {
	prometheus.DescribeByCollect(c, ch)
}

func (c probeCollector) Collect(ch chan<- prometheus.Metric) {
	e := c.e
	if e == nil {
		ch <- prometheus.MustNewConstMetric(descProbeSuccess, prometheus.GaugeValue, 0)
		return
	}
	seen := map[[2]string]bool{}
	for _, r := range e.results {
		key := [2]string{r.List, r.Query}
		if seen[key] {
			continue
		}
		seen[key] = true
		ch <- prometheus.MustNewConstMetric(descProbeListed, prometheus.GaugeValue, boolValue(r.Verdict == dnsbl.Listed), r.List, r.Query)
		ch <- prometheus.MustNewConstMetric(descProbeVerdict, prometheus.GaugeValue, 1, r.List, r.Query, string(r.Verdict))
	}
	for _, h := range e.health {
		ch <- prometheus.MustNewConstMetric(descProbeHealthy, prometheus.GaugeValue, boolValue(h.Healthy), h.List, h.Status)
	}
	duration := e.duration
	if c.cached {
		duration = 0
	}
	ch <- prometheus.MustNewConstMetric(descProbeSuccess, prometheus.GaugeValue, boolValue(probeSucceeded(e)))
	ch <- prometheus.MustNewConstMetric(descProbeDuration, prometheus.GaugeValue, duration.Seconds())
	ch <- prometheus.MustNewConstMetric(descProbeCached, prometheus.GaugeValue, boolValue(c.cached))
	ch <- prometheus.MustNewConstMetric(descProbeStale, prometheus.GaugeValue, boolValue(c.stale))
	ch <- prometheus.MustNewConstMetric(descProbeAge, prometheus.GaugeValue, c.age.Seconds())
}

// probeSucceeded: the check ran, something definite was learnt, and no
// list failed to answer. An IPv6 target on IPv4-only lists (all
// unchecked) learnt nothing: 0, never a "clean" 1.
func probeSucceeded(e *probeEntry) bool {
	if e.err != nil {
		return false
	}
	definite := false
	for _, r := range e.results {
		switch r.Verdict {
		case dnsbl.Listed, dnsbl.NotListed:
			definite = true
		case dnsbl.Unchecked:
		default:
			return false
		}
	}
	return definite
}
