package dnsbl

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// clock is a settable clock for cache expiry.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newClockedChecker(t *testing.T, srv *dnstest.Server, clk *clock, lists []List, opts ...Option) *Checker {
	t.Helper()
	cfg := Config{Resolver: srv.Addr, NoCatalogue: true, NoCache: true, Lists: lists, Timeout: 200 * time.Millisecond, Retries: 1}
	c, err := NewChecker(cfg, append(opts, WithClock(clk.now))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// List health is asked once an hour, not once per run; a health error
// (test points timing out) is kept five minutes, so a failing list does
// not cost every run its timeouts.
func TestHealthRememberedForTTL(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test")
	clk := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	c := newClockedChecker(t, srv, clk, []List{{Name: "bl", Zone: "bl.test"}})
	runQueries := func() int64 {
		before := srv.Total()
		check(t, c, "192.0.2.1")
		return srv.Total() - before
	}
	if n := runQueries(); n != 4 {
		t.Errorf("first run: %d queries, want 1 A + 3 test points", n)
	}
	clk.add(59 * time.Minute)
	if n := runQueries(); n != 1 {
		t.Errorf("within the hour: %d queries, want 1", n)
	}
	clk.add(2 * time.Minute)
	if n := runQueries(); n != 4 {
		t.Errorf("after the hour: %d queries, want 4", n)
	}

	srv.Fault("bl.test", dnstest.Drop) // the list stops answering
	clk.add(2 * time.Hour)
	rep := check(t, c, "192.0.2.1")
	if rep.Health[0].Status != HealthError {
		t.Fatalf("health %+v", rep.Health[0])
	}
	start := time.Now()
	check(t, c, "192.0.2.1")
	if d := time.Since(start); d > 600*time.Millisecond {
		// only the A lookup times out (2 tries of 200ms), not 3 test points too
		t.Logf("second run with a remembered health error took %v", d)
	}
	clk.add(6 * time.Minute)
	before := srv.Total()
	check(t, c, "192.0.2.1")
	if n := srv.Total() - before; n < 4 {
		t.Errorf("after 6 minutes a health error is asked again: %d queries", n)
	}
}

// memBudget is an in-memory BudgetStore, as the state file keeps it.
type memBudget struct {
	mu    sync.Mutex
	spent map[string]int64
}

func (m *memBudget) SpentToday(list string, at time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.spent[list+" "+utcDay(at)], nil
}

func (m *memBudget) AddSpent(s map[string]int64, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, n := range s {
		m.spent[k+" "+utcDay(at)] += n
	}
	return nil
}

// A daily quota spans runs and processes: lookups beyond it are errors
// that say so, never guesses, and the next UTC day starts afresh.
func TestDailyQueriesAcrossRuns(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test")
	store := &memBudget{spent: map[string]int64{}}
	clk := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	lists := []List{{Name: "bl", Zone: "bl.test", DailyQueries: 8}}
	targets := []string{"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6", "192.0.2.7"}
	c := newClockedChecker(t, srv, clk, lists, WithBudgetStore(store))
	rep := check(t, c, targets...)
	n := rep.Counts()
	// 3 test points (never refused: health must not fail for the
	// budget) leave 5 of the 8 for lookups.
	if n.NotListed != 5 || n.Error != 2 {
		t.Errorf("first run: %+v, want 5 not listed, 2 over the quota", n)
	}
	for _, r := range rep.Results {
		if r.Verdict == Error && !strings.Contains(r.Reason, "daily_queries 8") {
			t.Errorf("over-quota reason: %q", r.Reason)
		}
	}
	if got, _ := store.SpentToday("bl", clk.now()); got != 8 {
		t.Errorf("spent today %d, want 8", got)
	}
	// Another process, same day: nothing left.
	c2 := newClockedChecker(t, srv, clk, lists, WithBudgetStore(store))
	before := srv.Total()
	rep = check(t, c2, "192.0.2.1")
	if rep.Results[0].Verdict != Error || !strings.Contains(rep.Results[0].Reason, "8 spent today") {
		t.Errorf("second process: %+v", rep.Results[0])
	}
	if sent := srv.Total() - before; sent != 3 {
		t.Errorf("second process sent %d, want only its 3 test points", sent)
	}
	clk.add(24 * time.Hour)
	if rep = check(t, c2, "192.0.2.1"); rep.Results[0].Verdict != NotListed {
		t.Errorf("next day: %+v", rep.Results[0])
	}
	_ = context.Background
}

// serve on a /20 every 5 minutes would ask ZEN 1.2 million times a day,
// four times its free tier: said at start-up, with the quota's source.
func TestQuotaWarnings(t *testing.T) {
	c, err := NewChecker(Config{Resolver: "127.0.0.1:53", Only: []string{"spamhaus-zen", "spamcop"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := c.QuotaWarnings(4096, 0, 288)
	if len(w) != 1 || !strings.Contains(w[0], "spamhaus-zen: 1179648 lookups a day") || !strings.Contains(w[0], "300000") ||
		!strings.Contains(w[0], "Spamhaus DNSBL Usage FAQ") {
		t.Errorf("warnings %q", w)
	}
	if w := c.QuotaWarnings(8, 0, 288); len(w) != 0 {
		t.Errorf("8 addresses every 5 minutes fit: %q", w)
	}
}

// A list that starts to list the whole world while its health is
// remembered as good must not name anyone: a run that finds a listing on
// a list with remembered health asks its test points again.
func TestRememberedHealthRecheckedOnListing(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test")
	clk := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	c := newClockedChecker(t, srv, clk, []List{{Name: "bl", Zone: "bl.test"}})
	if r := check(t, c, "192.0.2.9").Results[0]; r.Verdict != NotListed {
		t.Fatalf("first run: %+v", r)
	}
	srv.Wildcard("bl.test", "127.0.0.2") // the domain lapsed: everything "listed"
	clk.add(10 * time.Minute)
	rep := check(t, c, "192.0.2.9")
	if r := rep.Results[0]; r.Verdict != Unknown {
		t.Errorf("listing on a list gone bad within the health TTL: %s (%s), want unknown", r.Verdict, r.Reason)
	}
	if rep.Health[0].Status != Unhealthy {
		t.Errorf("health %+v", rep.Health[0])
	}
	// and the bad health is what is remembered now
	if r := check(t, c, "192.0.2.10").Results[0]; r.Verdict != Unknown {
		t.Errorf("next run: %s", r.Verdict)
	}
}

// A list whose remembered health says it is unusable gets no lookups
// until that health expires: its results take the health's verdict
// (unknown for a list that lists the world, error for one whose test
// points time out), and its test points are asked again only then.
func TestRememberedUnusableListNotQueried(t *testing.T) {
	srv := startServer(t)
	srv.Wildcard("world.test", "127.0.0.2").Fault("drop.test", dnstest.Drop)
	clk := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	c := newClockedChecker(t, srv, clk, []List{{Name: "world", Zone: "world.test"}, {Name: "drop", Zone: "drop.test"}})
	queries := func() (*Report, int64, time.Duration) {
		before, start := srv.Total(), time.Now()
		rep := check(t, c, "192.0.2.1")
		return rep, srv.Total() - before, time.Since(start)
	}
	rep, _, first := queries()
	for _, h := range rep.Health {
		if h.NotQueried {
			t.Errorf("first run: %s marked not queried", h.List)
		}
	}
	rep, n, second := queries()
	t.Logf("first run %v, second %v", first, second)
	if n != 0 {
		t.Errorf("second run sent %d queries, want 0", n)
	}
	if second > first/2 {
		t.Errorf("second run took %v (first %v)", second, first)
	}
	want := map[string]Verdict{"world": Unknown, "drop": Error}
	for _, r := range rep.Results {
		if r.Verdict != want[r.List] || !strings.Contains(r.Reason, "not queried") {
			t.Errorf("%s: %s (%s), want %s, not queried", r.List, r.Verdict, r.Reason, want[r.List])
		}
	}
	for _, h := range rep.Health {
		if !h.NotQueried {
			t.Errorf("%s: health %s not marked not queried", h.List, h.Status)
		}
	}
	// A health error is kept 5 minutes, an unhealthy verdict the hour.
	clk.add(6 * time.Minute)
	if _, n, _ := queries(); n == 0 {
		t.Error("after 6 minutes the timing-out list was not asked again")
	}
	if q := srv.Queries("2.0.0.127.world.test"); q != 1 {
		t.Errorf("world's test point asked %d times within the hour, want 1", q)
	}
	clk.add(time.Hour)
	queries()
	if q := srv.Queries("2.0.0.127.world.test"); q != 2 {
		t.Errorf("world's test point asked %d times after the hour, want 2", q)
	}
}
