package exporter

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

type probeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *probeClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *probeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func probeExporter(t *testing.T, srv *dnstest.Server, clk *probeClock, cfg watch.ServeConfig, lists ...dnsbl.List) *httptest.Server {
	t.Helper()
	var e *Exporter
	ck, err := dnsbl.NewChecker(dnsbl.Config{Resolver: srv.Addr, NoCatalogue: true, Lists: lists, Timeout: 300 * time.Millisecond, Retries: 1},
		dnsbl.WithObserver(func(ev dnsbl.QueryEvent) { e.Observe(ev) }), dnsbl.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ck.Close() })
	e, err = New(Options{Config: cfg, Checker: watch.DNSBL(ck), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(e.Handler())
	t.Cleanup(hs.Close)
	return hs
}

// A hostname with two addresses, asked on an IP list and (with its
// registered domain) on a domain list, gives four results; each is its
// own series, told apart by the name asked. It was an HTTP 500.
func TestProbeHostnameSeriesAreUnique(t *testing.T) {
	srv, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.A("mail.example.org", 0, "192.0.2.1", "192.0.2.2").HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.2", "", "127.0.0.2")
	srv.HealthyDomain("dbl.test").ListDomain("dbl.test", "example.org", "", "127.0.1.2")
	hs := probeExporter(t, srv, &probeClock{t: testNow}, watch.ServeConfig{},
		dnsbl.List{Name: "bl", Zone: "bl.test"}, dnsbl.List{Name: "dbl", Zone: "dbl.test", Kind: dnsbl.KindDomain})
	mfs, code := scrape(t, &httptest.Server{URL: hs.URL}, "/probe?target=mail.example.org")
	if code != http.StatusOK {
		t.Fatalf("HTTP %d", code)
	}
	for _, w := range []struct {
		list, query string
		v           float64
	}{{"bl", "192.0.2.1", 0}, {"bl", "192.0.2.2", 1}, {"dbl", "mail.example.org", 0}, {"dbl", "example.org", 1}} {
		if v, ok := value(mfs, "dnsblaudit_listed", "list", w.list, "query", w.query); !ok || v != w.v {
			t.Errorf("dnsblaudit_listed{list=%s,query=%s} = %v (%v), want %v", w.list, w.query, v, ok, w.v)
		}
	}
	if v, _ := value(mfs, "probe_success"); v != 1 {
		t.Errorf("probe_success %v, want 1", v)
	}
}

// An IPv6 target on IPv4-only lists checked nothing: probe_success 0 and
// an unchecked verdict, never a clean 1.
func TestProbeNothingCheckedIsNoSuccess(t *testing.T) {
	srv, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.HealthyIPv4("bl.test")
	hs := probeExporter(t, srv, &probeClock{t: testNow}, watch.ServeConfig{}, dnsbl.List{Name: "bl", Zone: "bl.test"})
	mfs, code := scrape(t, &httptest.Server{URL: hs.URL}, "/probe?target=2001:db8::1")
	if code != http.StatusOK {
		t.Fatalf("HTTP %d", code)
	}
	if v, _ := value(mfs, "probe_success"); v != 0 {
		t.Errorf("probe_success %v, want 0", v)
	}
	if v, ok := value(mfs, "dnsblaudit_verdict", "list", "bl", "query", "2001:db8::1", "verdict", "unchecked"); !ok || v != 1 {
		t.Errorf("no unchecked verdict series")
	}
}

// Past probe_cache_ttl a probe is answered at once from the last result,
// with its age, while a refresh runs in the background; the next probe
// gets the refreshed result. Test points are not asked again per probe.
func TestProbeServesStaleAndRefreshes(t *testing.T) {
	srv, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "", "127.0.0.2")
	clk := &probeClock{t: testNow}
	hs := probeExporter(t, srv, clk, watch.ServeConfig{ProbeCacheTTL: time.Minute, ProbeRate: 100, ProbeBurst: 10}, dnsbl.List{Name: "bl", Zone: "bl.test"})
	s := &httptest.Server{URL: hs.URL}
	scrape(t, s, "/probe?target=192.0.2.1")
	before := srv.Total()
	clk.add(90 * time.Second)
	mfs, code := scrape(t, s, "/probe?target=192.0.2.1")
	if code != http.StatusOK {
		t.Fatalf("stale probe: HTTP %d", code)
	}
	if v, _ := value(mfs, "dnsblaudit_probe_stale"); v != 1 {
		t.Errorf("probe_stale %v, want 1", v)
	}
	if v, _ := value(mfs, "dnsblaudit_probe_age_seconds"); v != 90 {
		t.Errorf("age %v, want 90", v)
	}
	if v, _ := value(mfs, "dnsblaudit_listed", "list", "bl", "query", "192.0.2.1"); v != 1 {
		t.Errorf("stale answer lost the listing: %v", v)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mfs, _ = scrape(t, s, "/probe?target=192.0.2.1")
		if v, _ := value(mfs, "dnsblaudit_probe_stale"); v == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no background refresh")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if v, _ := value(mfs, "dnsblaudit_probe_age_seconds"); v != 0 {
		t.Errorf("refreshed age %v, want 0", v)
	}
	// the refresh asked the A record only: health is remembered
	if n := srv.Total() - before; n != 1 {
		t.Errorf("refresh sent %d queries, want 1 (the list's health is cached)", n)
	}
}

// A list that times out is remembered as failing its test points: a
// later fresh probe sends it no lookup and does not wait its timeouts;
// its result is the health's verdict (error), never clean.
func TestProbeSkipsListRememberedFailing(t *testing.T) {
	srv, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.HealthyIPv4("bl.test").Fault("drop.test", dnstest.Drop)
	hs := probeExporter(t, srv, &probeClock{t: testNow}, watch.ServeConfig{},
		dnsbl.List{Name: "bl", Zone: "bl.test"}, dnsbl.List{Name: "drop", Zone: "drop.test"})
	s := &httptest.Server{URL: hs.URL}
	start := time.Now()
	scrape(t, s, "/probe?target=192.0.2.1")
	first := time.Since(start)
	before := srv.Total()
	start = time.Now()
	mfs, code := scrape(t, s, "/probe?target=192.0.2.2") // another target: a fresh check
	second := time.Since(start)
	t.Logf("first probe %v, second %v", first, second)
	if code != http.StatusOK {
		t.Fatalf("HTTP %d", code)
	}
	if first < 300*time.Millisecond {
		t.Fatalf("first probe took %v: the dropping list was not waited for, the test shows nothing", first)
	}
	if second > first/2 {
		t.Errorf("second probe took %v (first %v): the failing list was queried again", second, first)
	}
	if n := srv.Total() - before; n != 1 {
		t.Errorf("second probe sent %d queries, want 1 (the healthy list's A query)", n)
	}
	if v, ok := value(mfs, "dnsblaudit_verdict", "list", "drop", "query", "192.0.2.2", "verdict", "error"); !ok || v != 1 {
		t.Errorf("drop: no error verdict (%v %v)", v, ok)
	}
	if v, ok := value(mfs, "dnsblaudit_listed", "list", "drop", "query", "192.0.2.2"); !ok || v != 0 {
		t.Errorf("drop listed %v (%v)", v, ok)
	}
	if v, _ := value(mfs, "probe_success"); v != 0 {
		t.Errorf("probe_success %v with a failing list, want 0", v)
	}
}
