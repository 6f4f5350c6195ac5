package dnsbl

import (
	"fmt"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// One list whose queries are never answered (its servers are down, the
// resolver drops them) must not slow the other lists down. Its lookups
// lose every retransmission too, and counting those as congestion took
// the shared send window to its floor of two: 64 addresses on six lists,
// one dead, took about ten times what the dead list's own timeouts take.
// A lost retransmission says the name is unanswerable, not that the
// server is overrun (a congestion loss is random: the retransmission of
// a packet it dropped usually gets through).
func TestDeadListDoesNotShrinkWindow(t *testing.T) {
	srv := startServer(t)
	var lists []List
	for i := range 6 {
		zone := fmt.Sprintf("l%d.test", i)
		srv.HealthyIPv4(zone)
		lists = append(lists, List{Name: fmt.Sprintf("l%d", i), Zone: zone})
	}
	srv.Fault("l0.test", dnstest.Drop)
	cfg := Config{Resolver: srv.Addr, NoCatalogue: true, Lists: lists, Timeout: 200 * time.Millisecond, Retries: 3}
	c, err := NewChecker(cfg, WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	rep := check(t, c, "192.0.2.0/26")
	took := time.Since(start)
	for _, r := range rep.Results {
		if r.List != "l0" && r.Verdict != NotListed {
			t.Fatalf("%s on %s: %s (%s)", r.Query, r.List, r.Verdict, r.Reason)
		}
	}
	// The dead list's lookups each wait at most 4 x 200 ms, all at once
	// (64 of them, within the concurrency of 100).
	if took > 2500*time.Millisecond {
		t.Errorf("took %v with one dead list of six", took)
	}
}
