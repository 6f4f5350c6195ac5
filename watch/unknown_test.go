package watch

import (
	"context"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// TestUnknownTooLongWithTimeouts: a list that stops answering for one
// target gives error verdicts (never "clean"); watch reports it once when
// it has lasted unknown_after, and the listing history is untouched.
func TestUnknownTooLongWithTimeouts(t *testing.T) {
	s, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.ListIP("bl.test", "127.0.0.2", "test point", "127.0.0.2")
	clock := newTestClock()
	db := openState(t, "", clock.Now)
	ck := newDNSBLChecker(t, s.Addr)
	r := NewRunner(Config{ConfirmRuns: 1, UnknownAfter: 2 * time.Hour}, ck, db)
	r.Now = clock.Now
	ctx := context.Background()
	run := func() *Report {
		t.Helper()
		clock.Advance(time.Hour)
		rep, err := r.Run(ctx, []string{"192.0.2.9"})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	run() // clean, silent
	s.Fault(dnstest.ReverseIP("192.0.2.9", false)+".bl.test", dnstest.ServFail)
	var kinds []string
	for range 4 {
		rep := run()
		if rep.Counts[dnsbl.Error] != 1 || rep.Counts[dnsbl.NotListed] != 0 {
			t.Fatalf("a failing lookup became %s", rep.CountsLine())
		}
		for _, c := range rep.Changes {
			kinds = append(kinds, string(c.Kind)+"@"+c.At.Sub(c.Since).String())
		}
	}
	if len(kinds) != 1 || kinds[0] != "unknown@2h0m0s" {
		t.Errorf("changes = %v, want one unknown after 2h", kinds)
	}
	cs, _ := db.Changes(ctx, "192.0.2.9")
	if len(cs) != 1 || cs[0].From != "not_listed" || cs[0].To != "unknown" {
		t.Errorf("recorded changes = %+v", cs)
	}
}
