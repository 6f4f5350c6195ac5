package watch

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// slowList starts a fake DNS server whose "bl.test" answers after delay,
// with the RFC 5782 test point and the given addresses listed.
func slowList(t *testing.T, delay time.Duration, listed ...string) *dnstest.Server {
	t.Helper()
	s, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.ListIP("bl.test", "127.0.0.2", "test point", "127.0.0.2")
	for _, a := range listed {
		s.ListIP("bl.test", a, "Listed for spam", "127.0.0.2")
	}
	s.Delay = delay // set before Fault: its lock orders this write before any query
	s.Fault("bl.test", dnstest.Slow)
	return s
}

// TestConcurrentRunsSerialise starts two runs at once on the same state
// file, each with its own connection and lock descriptor as two processes
// would have: the second waits for the first, and the new listing is
// reported once, not twice.
func TestConcurrentRunsSerialise(t *testing.T) {
	dns := slowList(t, 200*time.Millisecond, "192.0.2.1")
	path := t.TempDir() + "/state.db"
	var wg sync.WaitGroup
	reps := make([]*Report, 2)
	errs := make([]error, 2)
	for i := range 2 {
		db := openState(t, path, nil)
		r := NewRunner(Config{ConfirmRuns: 1, LockWait: 20 * time.Second}, newDNSBLChecker(t, dns.Addr), db)
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = r.Run(context.Background(), []string{"192.0.2.1", "192.0.2.2"})
		}()
	}
	wg.Wait()
	total := 0
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		total += len(reps[i].Changes)
	}
	if total != 1 {
		t.Errorf("the listing was reported %d times, want once", total)
	}
	db := openState(t, path, nil)
	runs, _ := db.Runs(context.Background(), 0)
	if len(runs) != 2 || runs[0].Started.Before(runs[1].Finished) {
		t.Errorf("runs overlap or are missing: %+v", runs)
	}
	ivs, _ := db.Intervals(context.Background(), state.IntervalFilter{Target: "192.0.2.1"})
	if len(ivs) != 1 || ivs[0].SeenRuns != 2 {
		t.Errorf("intervals = %+v, want one seen in 2 runs", ivs)
	}
}

// TestOverlappingRunGivesUp: with a short lock wait the second run exits
// with a message naming the run in progress, and records nothing.
func TestOverlappingRunGivesUp(t *testing.T) {
	dns := slowList(t, 300*time.Millisecond)
	path := t.TempDir() + "/state.db"
	first := NewRunner(Config{}, newDNSBLChecker(t, dns.Addr), openState(t, path, nil))
	second := NewRunner(Config{LockWait: 50 * time.Millisecond}, newDNSBLChecker(t, dns.Addr), openState(t, path, nil))
	done := make(chan error, 1)
	go func() {
		_, err := first.Run(context.Background(), []string{"192.0.2.1"})
		done <- err
	}()
	time.Sleep(100 * time.Millisecond) // the first is waiting for its slow answers
	_, err := second.Run(context.Background(), []string{"192.0.2.1"})
	if !errors.Is(err, state.ErrBusy) || !strings.Contains(err.Error(), "held by pid") {
		t.Fatalf("second run: err = %v, want ErrBusy naming the holder", err)
	}
	t.Logf("second run: %v", err)
	if err := <-done; err != nil {
		t.Fatalf("first run: %v", err)
	}
	runs, _ := openState(t, path, nil).Runs(context.Background(), 0)
	if len(runs) != 1 {
		t.Errorf("%d runs recorded, want 1", len(runs))
	}
}
