package watch

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// listedChecker lists the targets in listed on list "bl"; the others are
// clean.
func listedChecker(listed map[string]bool) Checker {
	return CheckerFunc(func(_ context.Context, targets []string) (Outcome, error) {
		var out Outcome
		for _, t := range targets {
			v := dnsbl.NotListed
			if listed[t] {
				v = dnsbl.Listed
			}
			out.Results = append(out.Results, dnsbl.Result{Target: t, Query: t, List: "bl", Zone: "bl.test", Verdict: v, Codes: []string{}})
		}
		out.Health = []ListHealth{{List: "bl", Zone: "bl.test", Status: "healthy", Healthy: true}}
		return out, nil
	})
}

// flakyAlert fails its first n calls (an SMTP 421, a hook exiting 1),
// then accepts, and keeps what it accepted.
type flakyAlert struct {
	mu       sync.Mutex
	failures int
	calls    int
	got      []string
}

func (f *flakyAlert) Channel() string { return "test" }

func (f *flakyAlert) Alert(_ context.Context, rep *Report) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls <= f.failures {
		return errors.New("421 4.3.2 try again later")
	}
	for _, c := range rep.Changes {
		f.got = append(f.got, c.Headline())
	}
	return nil
}

// An alert that fails is kept and delivered by a later run, once, after
// its back-off; it is never lost because the run was already recorded.
func TestAlertDeliveredAtLeastOnce(t *testing.T) {
	clk := newTestClock()
	db := openState(t, "", clk.Now)
	al := &flakyAlert{failures: 2}
	r := NewRunner(Config{ConfirmRuns: 1}, listedChecker(map[string]bool{"192.0.2.1": true}), db, al)
	r.Now = clk.Now
	ctx := context.Background()
	if _, err := r.Run(ctx, []string{"192.0.2.1"}); !errors.Is(err, ErrAlert) {
		t.Fatalf("first run: %v, want ErrAlert", err)
	}
	// Within the back-off (1 minute) the next run does not retry.
	clk.Advance(30 * time.Second)
	rep, err := r.Run(ctx, []string{"192.0.2.1"})
	if err != nil || al.calls != 1 {
		t.Fatalf("within the back-off: err %v, %d calls", err, al.calls)
	}
	if len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "1 alert(s) not delivered yet") {
		t.Errorf("pending alert not told: %q", rep.Warnings)
	}
	clk.Advance(time.Minute)
	if _, err := r.Run(ctx, []string{"192.0.2.1"}); !errors.Is(err, ErrAlert) {
		t.Fatalf("second attempt should fail too: %v", err)
	}
	clk.Advance(90 * time.Second) // below the 2-minute back-off
	r.Run(ctx, []string{"192.0.2.1"})
	if al.calls != 2 {
		t.Fatalf("retried within the doubled back-off: %d calls", al.calls)
	}
	clk.Advance(time.Minute)
	if _, err := r.Run(ctx, []string{"192.0.2.1"}); err != nil {
		t.Fatalf("third attempt: %v", err)
	}
	clk.Advance(time.Hour)
	r.Run(ctx, []string{"192.0.2.1"})
	if len(al.got) != 1 || al.got[0] != "192.0.2.1 listed on bl" || al.calls != 3 {
		t.Errorf("delivered %q in %d calls, want the listing once after 3 calls", al.got, al.calls)
	}
	if n, _ := db.PendingAlerts(ctx); n != 0 {
		t.Errorf("%d alerts still pending", n)
	}
}

// A run that fails to commit queues nothing; each channel has its own
// outbox entry, so one failing channel does not resend the other.
func TestAlertChannelsIndependent(t *testing.T) {
	clk := newTestClock()
	db := openState(t, "", clk.Now)
	bad := &flakyAlert{failures: 1}
	good := &namedAlert{name: "good"}
	r := NewRunner(Config{ConfirmRuns: 1}, listedChecker(map[string]bool{"192.0.2.1": true}), db, bad, good)
	r.Now = clk.Now
	r.Run(context.Background(), []string{"192.0.2.1"})
	clk.Advance(2 * time.Minute)
	r.Run(context.Background(), []string{"192.0.2.1"})
	if good.calls != 1 || len(bad.got) != 1 {
		t.Errorf("good channel called %d times, failing one delivered %d", good.calls, len(bad.got))
	}
}

type namedAlert struct {
	name  string
	calls int
}

func (n *namedAlert) Channel() string                      { return n.name }
func (n *namedAlert) Alert(context.Context, *Report) error { n.calls++; return nil }

// A target taken out of the configuration is closed as unmonitored; added
// back, it is reported again and its listing starts a new interval
// instead of "listed since" the old date with one interval over the gap.
func TestRemovedTargetIsUnmonitored(t *testing.T) {
	clk := newTestClock()
	db := openState(t, "", clk.Now)
	listed := map[string]bool{"192.0.2.1": true, "192.0.2.2": true}
	r := NewRunner(Config{ConfirmRuns: 1}, listedChecker(listed), db)
	r.Now = clk.Now
	ctx := context.Background()
	rep, _ := r.Run(ctx, []string{"192.0.2.1", "192.0.2.2"})
	if len(rep.Changes) != 2 {
		t.Fatalf("first run changes %v", rep.Changes)
	}
	clk.Advance(time.Hour)
	r.Run(ctx, []string{"192.0.2.1"}) // 192.0.2.2 removed
	ivs := intervalsOf(t, db, "192.0.2.2")
	if len(ivs) != 1 || ivs[0].Open() || ivs[0].ClosedAs != "unmonitored" || !ivs[0].ClearedAt.Equal(ivs[0].LastSeen) {
		t.Fatalf("removed target's interval: %+v", ivs)
	}
	clk.Advance(30 * 24 * time.Hour)
	rep, _ = r.Run(ctx, []string{"192.0.2.1", "192.0.2.2"})
	var heads []string
	for _, c := range rep.Changes {
		heads = append(heads, c.Headline())
	}
	if !slicesContains(heads, "192.0.2.2 listed on bl") {
		t.Errorf("re-added target not reported: %q", heads)
	}
	if ivs = intervalsOf(t, db, "192.0.2.2"); len(ivs) != 2 || !ivs[1].Open() || !ivs[1].FirstSeen.Equal(clk.Now()) {
		t.Errorf("re-added target's intervals: %+v", ivs)
	}
	// 192.0.2.1 was checked every run but the watch did not run for 30
	// days (above max_gap): its interval is split at the gap.
	if ivs = intervalsOf(t, db, "192.0.2.1"); len(ivs) != 2 || ivs[0].ClosedAs != "unmonitored" || !ivs[1].Open() {
		t.Errorf("interval over a 30-day gap: %+v", ivs)
	}
}

func intervalsOf(t *testing.T, db *state.DB, target string) []state.Interval {
	t.Helper()
	all, err := db.Intervals(context.Background(), state.IntervalFilter{Target: target})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// A real exec hook that fails once (exit 1) gets the change again from
// the outbox on the retry, as the same JSON it would have had.
func TestExecHookRetriedFromOutbox(t *testing.T) {
	clk := newTestClock()
	db := openState(t, "", clk.Now)
	dir := t.TempDir()
	out, marker := dir+"/changes.jsonl", dir+"/failed-once"
	script := `if [ ! -e "$1" ]; then : > "$1"; echo "busy" >&2; exit 1; fi; cat >> "$0"`
	hook := ExecHook{Argv: []string{"/bin/sh", "-c", script, out, marker}, Timeout: 10 * time.Second}
	r := NewRunner(Config{ConfirmRuns: 1}, listedChecker(map[string]bool{"192.0.2.1": true}), db, hook)
	r.Now = clk.Now
	ctx := context.Background()
	if _, err := r.Run(ctx, []string{"192.0.2.1"}); !errors.Is(err, ErrAlert) || !strings.Contains(err.Error(), "busy") {
		t.Fatalf("first run: %v", err)
	}
	clk.Advance(2 * time.Minute)
	if _, err := r.Run(ctx, []string{"192.0.2.1"}); err != nil {
		t.Fatalf("retry: %v", err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var c Change
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatalf("hook input %q: %v", data, err)
	}
	if c.Kind != Listed || c.Target != "192.0.2.1" || c.List != "bl" || c.To != "listed" {
		t.Errorf("hook got %+v", c)
	}
	if strings.Count(string(data), "\n") != 1 {
		t.Errorf("hook got %d changes, want 1:\n%s", strings.Count(string(data), "\n"), data)
	}
}
