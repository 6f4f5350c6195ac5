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

// probeTimeout bounds one fresh check, and maxProbeWait how long a fresh
// probe may queue for the rate limit; the job's scrape_timeout should
// cover both (examples/prometheus/prometheus.yml uses 30s).
const (
	probeTimeout = 9 * time.Second
	maxProbeWait = 5 * time.Second
)

// prober answers /probe?target=X from a per-target cache, running at most
// ProbeRate fresh checks per second (burst ProbeBurst) across all targets:
// beyond the burst, fresh probes queue (up to maxProbeWait), so a scrape
// storm is slowed down rather than passed on to the lists, and only what
// cannot be served in time is refused with 429. Concurrent requests for one
// target share one check.
type prober struct {
	cfg     watch.ServeConfig
	checker watch.Checker
	now     func() time.Time
	limiter *rate.Limiter
	count   *prometheus.CounterVec

	mu      sync.Mutex
	entries map[string]*probeEntry
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
	return &prober{cfg: cfg, checker: ck, now: now, count: count, entries: map[string]*probeEntry{},
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
	if e == nil {
		p.count.WithLabelValues("rate_limited").Inc()
		w.Header().Set("Retry-After", "1")
		http.Error(w, "probe rate limit reached; retry later", http.StatusTooManyRequests)
		return
	}
	select {
	case <-e.done:
	case <-r.Context().Done():
		return
	}
	if e.err != nil {
		outcome = "failed"
	}
	p.count.WithLabelValues(outcome).Inc()
	reg := prometheus.NewRegistry()
	reg.MustRegister(probeCollector{e: e, cached: outcome == "cached", age: p.now().Sub(e.finished)})
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

// get returns the target's entry and whether it is "cached" or "fresh";
// nil when a fresh check is needed and the rate limit says no.
func (p *prober) get(target string) (*probeEntry, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if e, ok := p.entries[target]; ok {
		select {
		case <-e.done:
			if now.Sub(e.finished) < p.cfg.ProbeCacheTTL && e.err == nil {
				return e, "cached"
			}
		default:
			return e, "cached" // in flight: share it
		}
	}
	r := p.limiter.Reserve()
	wait := r.Delay()
	if !r.OK() || wait > maxProbeWait {
		r.Cancel()
		return nil, ""
	}
	p.evict(now)
	e := &probeEntry{done: make(chan struct{})}
	p.entries[target] = e
	go p.run(target, e, wait)
	return e, "fresh"
}

// run waits for its turn, then checks one target detached from the
// request, so that a client that hangs up does not waste the queries
// already sent.
func (p *prober) run(target string, e *probeEntry, wait time.Duration) {
	time.Sleep(wait)
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	start := p.now()
	out, err := p.checker.Check(ctx, []string{target})
	e.results, e.health, e.err = out.Results, out.Health, err
	e.finished = p.now()
	e.duration = e.finished.Sub(start)
	close(e.done)
}

// evict drops expired entries, then the oldest, to keep the cache within
// ProbeMaxTargets. Called with p.mu held.
func (p *prober) evict(now time.Time) {
	var oldest string
	var oldestAt time.Time
	for k, e := range p.entries {
		select {
		case <-e.done:
		default:
			continue
		}
		if now.Sub(e.finished) >= p.cfg.ProbeCacheTTL {
			delete(p.entries, k)
			continue
		}
		if oldest == "" || e.finished.Before(oldestAt) {
			oldest, oldestAt = k, e.finished
		}
	}
	if len(p.entries) >= p.cfg.ProbeMaxTargets && oldest != "" {
		delete(p.entries, oldest)
	}
}

// Probe metrics follow the blackbox exporter: probe_success and
// probe_duration_seconds, plus the listing per list of this one target.
var (
	descProbeSuccess  = prometheus.NewDesc("probe_success", "1 if every list gave a definite verdict.", nil, nil)
	descProbeDuration = prometheus.NewDesc("probe_duration_seconds", "How long the check took (0 when cached).", nil, nil)
	descProbeCached   = prometheus.NewDesc(namespace+"_probe_cached", "1 if this answer came from the probe cache.", nil, nil)
	descProbeAge      = prometheus.NewDesc(namespace+"_probe_age_seconds", "Age of the results served.", nil, nil)
	descProbeListed   = prometheus.NewDesc(namespace+"_listed", "1 if the target is listed on the list, else 0.", []string{"list"}, nil)
	descProbeVerdict  = prometheus.NewDesc(namespace+"_verdict", "The verdict for the target on the list: always 1, the verdict is the label.", []string{"list", "verdict"}, nil)
	descProbeHealthy  = prometheus.NewDesc(namespace+"_list_healthy", "1 if the list passed its health checks.", []string{"list", "status"}, nil)
)

type probeCollector struct {
	e      *probeEntry
	cached bool
	age    time.Duration
}

func (c probeCollector) Describe(ch chan<- *prometheus.Desc) {
	prometheus.DescribeByCollect(c, ch)
}

func (c probeCollector) Collect(ch chan<- prometheus.Metric) {
	e := c.e
	definite := e.err == nil
	for _, r := range e.results {
		if r.Verdict != dnsbl.Listed && r.Verdict != dnsbl.NotListed {
			definite = false
		}
		ch <- prometheus.MustNewConstMetric(descProbeListed, prometheus.GaugeValue, boolValue(r.Verdict == dnsbl.Listed), r.List)
		ch <- prometheus.MustNewConstMetric(descProbeVerdict, prometheus.GaugeValue, 1, r.List, string(r.Verdict))
	}
	for _, h := range e.health {
		ch <- prometheus.MustNewConstMetric(descProbeHealthy, prometheus.GaugeValue, boolValue(h.Healthy), h.List, h.Status)
	}
	duration := e.duration
	if c.cached {
		duration = 0
	}
	ch <- prometheus.MustNewConstMetric(descProbeSuccess, prometheus.GaugeValue, boolValue(definite))
	ch <- prometheus.MustNewConstMetric(descProbeDuration, prometheus.GaugeValue, duration.Seconds())
	ch <- prometheus.MustNewConstMetric(descProbeCached, prometheus.GaugeValue, boolValue(c.cached))
	ch <- prometheus.MustNewConstMetric(descProbeAge, prometheus.GaugeValue, c.age.Seconds())
}
