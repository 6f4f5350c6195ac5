package watch

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// testClock is an injected clock that moves only when told to.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openState opens a state file in a fresh directory.
func openState(t *testing.T, path string, now func() time.Time) *state.DB {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "state.db")
	}
	db, err := state.Open(context.Background(), path, state.Options{Now: now})
	if err != nil {
		t.Fatalf("open state: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newDNSBLChecker is a real dnsbl checker on one list served at addr, with
// the answer cache and the list health cache off so that every run sees
// the server's current data (the scripted runs are milliseconds apart).
func newDNSBLChecker(t *testing.T, addr string, lists ...dnsbl.List) Checker {
	t.Helper()
	if len(lists) == 0 {
		lists = []dnsbl.List{{Name: "bl", Zone: "bl.test", Kind: dnsbl.KindIPv4, Delist: "https://bl.test/remove"}}
	}
	ck, err := dnsbl.NewChecker(dnsbl.Config{Resolver: addr, NoCatalogue: true, NoCache: true, Lists: lists,
		Timeout: 2 * time.Second, Retries: 1, HealthTTL: -1})
	if err != nil {
		t.Fatalf("NewChecker: %v", err)
	}
	t.Cleanup(func() { ck.Close() })
	return DNSBL(ck)
}
