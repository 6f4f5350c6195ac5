package whoisctx

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLimiterOneAtATimeAndInterval(t *testing.T) {
	l := newLimiter(30*time.Millisecond, time.Now)
	var inFlight, maxInFlight atomic.Int32
	var wg sync.WaitGroup
	start := time.Now()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := l.acquire(context.Background(), "whois.ripe.net:43")
			if err != nil {
				t.Error(err)
				return
			}
			n := inFlight.Add(1)
			for {
				m := maxInFlight.Load()
				if n <= m || maxInFlight.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			inFlight.Add(-1)
			release()
		}()
	}
	wg.Wait()
	if maxInFlight.Load() != 1 {
		t.Errorf("%d queries in flight at once, want 1", maxInFlight.Load())
	}
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Errorf("4 queries in %s, want at least 3 intervals of 30ms", d)
	}
}

func TestLimiterBackoff(t *testing.T) {
	now := testNow
	l := newLimiter(0, func() time.Time { return now })
	until := l.rateLimited("s", 0)
	if until.Sub(now) != firstBackoff {
		t.Errorf("first back-off %s", until.Sub(now))
	}
	if _, err := l.acquire(context.Background(), "s"); !errors.Is(err, ErrBackoff) {
		t.Errorf("acquire during back-off: %v", err)
	}
	if until = l.rateLimited("s", 0); until.Sub(now) != 2*firstBackoff {
		t.Errorf("second back-off %s, want doubled", until.Sub(now))
	}
	if until = l.rateLimited("s", 3*time.Hour); until.Sub(now) != 3*time.Hour {
		t.Errorf("Retry-After ignored: %s", until.Sub(now))
	}
	now = until.Add(time.Second)
	release, err := l.acquire(context.Background(), "s")
	if err != nil {
		t.Fatalf("after back-off: %v", err)
	}
	release()
}

func TestWhoisIPQuery(t *testing.T) {
	a := mustAddr("174.0.36.9")
	for _, tc := range []struct{ registry, server, want string }{
		{"arin", "127.0.0.1:4343", "n + 174.0.36.9"},
		{"arin", "whois.arin.net", "174.0.36.9"}, // the library adds "n + " itself
		{"arin", "whois.arin.net:43", "174.0.36.9"},
		{"ripencc", "whois.ripe.net", "174.0.36.9"},
	} {
		if got := whoisIPQuery(a, tc.registry, tc.server); got != tc.want {
			t.Errorf("whoisIPQuery(%s, %s) = %q, want %q", tc.registry, tc.server, got, tc.want)
		}
	}
}
