package dnsbl

import (
	"context"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

var fixedNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return fixedNow }

// startServer starts a fake DNS server closed at the end of the test.
func startServer(t *testing.T) *dnstest.Server {
	t.Helper()
	s, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newTestChecker checks only lists (no catalogue), through srv.
func newTestChecker(t *testing.T, srv *dnstest.Server, lists []List, mod ...func(*Config)) *Checker {
	t.Helper()
	cfg := Config{Resolver: srv.Addr, NoCatalogue: true, Lists: lists, Timeout: 300 * time.Millisecond, Retries: 1}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := NewChecker(cfg, WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func check(t *testing.T, c *Checker, targets ...string) *Report {
	t.Helper()
	rep, err := c.Check(context.Background(), targets, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestCheckSmoke(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "listed: see http://bl.test/192.0.2.1", "127.0.0.2", "127.0.0.4")
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test", Codes: []Code{{Code: "127.0.0.2", Meaning: "spam"}}}})
	rep := check(t, c, "192.0.2.1", "192.0.2.2")
	if len(rep.Results) != 2 {
		t.Fatalf("results = %+v", rep.Results)
	}
	r := rep.Results[0]
	if r.Verdict != Listed || len(r.Codes) != 2 || r.Codes[1] != "127.0.0.4" || len(r.TXT) != 1 {
		t.Errorf("listed result = %+v", r)
	}
	if rep.Results[1].Verdict != NotListed {
		t.Errorf("clean result = %+v", rep.Results[1])
	}
	if rep.Health[0].Status != Healthy {
		t.Errorf("health = %+v", rep.Health)
	}
}
