package exporter

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
	"github.com/dnsblaudit/dnsblaudit/state"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fakeLists serves a healthy list "bl" that lists 192.0.2.1 with a TXT
// reason, and a list "world" that lists everything (unhealthy).
func fakeLists(t *testing.T) *dnstest.Server {
	t.Helper()
	s, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.ListIP("bl.test", "127.0.0.2", "test point", "127.0.0.2")
	s.ListIP("bl.test", "192.0.2.1", "Listed for spam, see https://bl.test/192.0.2.1", "127.0.0.2")
	s.Wildcard("world.test", "127.0.0.2")
	return s
}

// newTestExporter wires a real dnsbl checker to the fake server, with the
// exporter observing its queries, as `serve` does.
func newTestExporter(t *testing.T, addr string, cfg watch.ServeConfig, targets ...string) *Exporter {
	t.Helper()
	var e *Exporter
	ck, err := dnsbl.NewChecker(dnsbl.Config{Resolver: addr, NoCatalogue: true, Lists: []dnsbl.List{
		{Name: "bl", Zone: "bl.test", Kind: dnsbl.KindIPv4},
		{Name: "world", Zone: "world.test", Kind: dnsbl.KindIPv4},
	}}, dnsbl.WithObserver(func(ev dnsbl.QueryEvent) { e.Observe(ev) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ck.Close() })
	e, err = New(Options{Config: cfg, Checker: watch.DNSBL(ck), Targets: targets, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// scrape fetches path and parses it with the Prometheus text parser.
func scrape(t *testing.T, srv *httptest.Server, path string) (map[string]*dto.MetricFamily, int) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return nil, resp.StatusCode
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	return mfs, resp.StatusCode
}

// value returns the value of the series of family name with exactly the
// given labels (as name=value pairs), and whether it exists.
func value(mfs map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	mf := mfs[name]
	if mf == nil {
		return 0, false
	}
	for _, m := range mf.Metric {
		if !hasLabels(m, labels) {
			continue
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func hasLabels(m *dto.Metric, pairs []string) bool {
	if len(m.Label) != len(pairs)/2 {
		return false
	}
	have := map[string]string{}
	for _, l := range m.Label {
		have[l.GetName()] = l.GetValue()
	}
	for i := 0; i < len(pairs); i += 2 {
		if have[pairs[i]] != pairs[i+1] {
			return false
		}
	}
	return true
}

func TestMetricsFromBackgroundRun(t *testing.T) {
	dns := fakeLists(t)
	e := newTestExporter(t, dns.Addr, watch.ServeConfig{}, "192.0.2.1", "192.0.2.2")
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	mfs, _ := scrape(t, srv, "/metrics")
	if _, ok := mfs["dnsblaudit_listed"]; ok {
		t.Errorf("listing metrics before any run: zeros would read as clean")
	}
	if err := e.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	queries := dns.Total()
	mfs, _ = scrape(t, srv, "/metrics")
	scrape(t, srv, "/metrics")
	if dns.Total() != queries {
		t.Errorf("scrapes sent %d DNS queries; they must only read", dns.Total()-queries)
	}
	want := []struct {
		name   string
		labels []string
		v      float64
	}{
		{"dnsblaudit_listed", []string{"target", "192.0.2.1", "list", "bl"}, 1},
		{"dnsblaudit_listed", []string{"target", "192.0.2.2", "list", "bl"}, 0},
		{"dnsblaudit_verdict", []string{"target", "192.0.2.1", "list", "bl", "verdict", "listed"}, 1},
		{"dnsblaudit_verdict", []string{"target", "192.0.2.1", "list", "world", "verdict", "unknown"}, 1},
		{"dnsblaudit_list_healthy", []string{"list", "bl", "status", "healthy"}, 1},
		{"dnsblaudit_list_healthy", []string{"list", "world", "status", "unhealthy"}, 0},
		{"dnsblaudit_verdicts", []string{"verdict", "listed"}, 1},
		{"dnsblaudit_verdicts", []string{"verdict", "not_listed"}, 1},
		{"dnsblaudit_verdicts", []string{"verdict", "unknown"}, 2},
		{"dnsblaudit_verdicts", []string{"verdict", "error"}, 0},
		{"dnsblaudit_targets", nil, 2},
		{"dnsblaudit_last_run_success", nil, 1},
		{"dnsblaudit_last_run_timestamp_seconds", nil, float64(testNow.Unix())},
		{"dnsblaudit_runs_total", []string{"result", "ok"}, 1},
	}
	for _, w := range want {
		got, ok := value(mfs, w.name, w.labels...)
		if !ok || got != w.v {
			t.Errorf("%s%v = %v (present %v), want %v", w.name, w.labels, got, ok, w.v)
		}
	}
	if n, ok := value(mfs, "dnsblaudit_query_duration_seconds", "list", "bl"); !ok || n == 0 {
		t.Errorf("query duration histogram for bl: %v samples", n)
	}
	checkNoTextInLabels(t, mfs)
}

// checkNoTextInLabels: TXT reasons and zones never become label values.
func checkNoTextInLabels(t *testing.T, mfs map[string]*dto.MetricFamily) {
	t.Helper()
	for name, mf := range mfs {
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				if strings.Contains(l.GetValue(), "spam") || strings.Contains(l.GetValue(), ".test") {
					t.Errorf("%s has label %s=%q", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
}

func TestFailedRunKeepsLastResults(t *testing.T) {
	dns := fakeLists(t)
	e := newTestExporter(t, dns.Addr, watch.ServeConfig{}, "192.0.2.1")
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	if err := e.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e.RunOnce(ctx); err == nil {
		t.Fatal("cancelled run succeeded")
	}
	mfs, _ := scrape(t, srv, "/metrics")
	if v, _ := value(mfs, "dnsblaudit_last_run_success"); v != 0 {
		t.Errorf("last_run_success = %v after a failed run", v)
	}
	if v, ok := value(mfs, "dnsblaudit_listed", "target", "192.0.2.1", "list", "bl"); !ok || v != 1 {
		t.Errorf("last good results dropped after a failed run")
	}
}

func TestProbeCachedAndRateLimited(t *testing.T) {
	dns := fakeLists(t)
	e := newTestExporter(t, dns.Addr, watch.ServeConfig{ProbeRate: 0.001, ProbeBurst: 2, ProbeCacheTTL: time.Hour})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()

	mfs, code := scrape(t, srv, "/probe?target=192.0.2.1")
	if code != http.StatusOK {
		t.Fatalf("probe: HTTP %d", code)
	}
	if v, _ := value(mfs, "dnsblaudit_listed", "list", "bl", "query", "192.0.2.1"); v != 1 {
		t.Errorf("probe dnsblaudit_listed{list=bl,query=192.0.2.1} = %v", v)
	}
	if v, ok := value(mfs, "probe_success"); !ok || v != 0 {
		t.Errorf("probe_success = %v, want 0 (list world is unhealthy: its verdict is unknown)", v)
	}
	queries := dns.Total()
	mfs, _ = scrape(t, srv, "/probe?target=192.0.2.1")
	if dns.Total() != queries {
		t.Errorf("a cached probe sent %d queries", dns.Total()-queries)
	}
	if v, _ := value(mfs, "dnsblaudit_probe_cached"); v != 1 {
		t.Errorf("second probe not served from the cache")
	}
	if _, code := scrape(t, srv, "/probe?target=192.0.2.2"); code != http.StatusOK {
		t.Errorf("second target (within the burst): HTTP %d", code)
	}
	// A first probe the rate limit cannot fit in is still a 200 (a 429
	// is a failed scrape to Prometheus), saying it learnt nothing.
	mfs, code = scrape(t, srv, "/probe?target=192.0.2.3")
	if code != http.StatusOK {
		t.Errorf("third fresh target beyond the burst: HTTP %d, want 200", code)
	}
	if v, ok := value(mfs, "probe_success"); !ok || v != 0 || mfs["dnsblaudit_listed"] != nil {
		t.Errorf("rate-limited first probe: probe_success %v, listing series %v", v, mfs["dnsblaudit_listed"] != nil)
	}
	for _, bad := range []string{"", "10.0.0.0/8", "not a target!"} {
		if _, code := scrape(t, srv, "/probe?target="+url.QueryEscape(bad)); code != http.StatusBadRequest {
			t.Errorf("/probe?target=%q: HTTP %d, want 400", bad, code)
		}
	}
	mfs, _ = scrape(t, srv, "/metrics")
	for outcome, want := range map[string]float64{"fresh": 2, "cached": 1, "rate_limited": 1, "bad_target": 3} {
		if v, _ := value(mfs, "dnsblaudit_probes_total", "outcome", outcome); v != want {
			t.Errorf("probes_total{outcome=%s} = %v, want %v", outcome, v, want)
		}
	}
}

func TestHealthz(t *testing.T) {
	e := newTestExporter(t, "127.0.0.1:1", watch.ServeConfig{})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz: HTTP %d", resp.StatusCode)
	}
}

func TestBackgroundRunsRecordedWithState(t *testing.T) {
	dns := fakeLists(t)
	e := newTestExporter(t, dns.Addr, watch.ServeConfig{}, "192.0.2.1")
	db, err := state.Open(context.Background(), t.TempDir()+"/state.db", state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := watch.NewRunner(watch.Config{ConfirmRuns: 1}, e.opt.Checker, db)
	r.Source = "serve"
	e.opt.Runner = r
	if err := e.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	runs, _ := db.Runs(context.Background(), 0)
	if len(runs) != 1 || runs[0].Source != "serve" || runs[0].Verdicts[dnsbl.Listed] != 1 {
		t.Errorf("runs = %+v", runs)
	}
	start, ok, _ := db.ListingStart(context.Background(), "192.0.2.1", "bl")
	if !ok || start.IsZero() {
		t.Errorf("listing not recorded")
	}
}

// TestProbeStormIsQueuedNotPassedOn: beyond the burst, fresh probes wait
// for the rate limit instead of failing, and the lists see no more than
// the rate allows.
func TestProbeStormIsQueuedNotPassedOn(t *testing.T) {
	dns := fakeLists(t)
	e := newTestExporter(t, dns.Addr, watch.ServeConfig{ProbeRate: 20, ProbeBurst: 1})
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	start := time.Now()
	codes := make(chan int, 6)
	for i := range 6 {
		go func() {
			_, code := scrape(t, srv, fmt.Sprintf("/probe?target=192.0.2.%d", 10+i))
			codes <- code
		}()
	}
	for range 6 {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("queued probe: HTTP %d", code)
		}
	}
	// six fresh checks at 20/s with a burst of one take at least 250 ms
	if el := time.Since(start); el < 240*time.Millisecond {
		t.Errorf("six fresh probes done in %s: the rate limit did not hold", el)
	}
}
