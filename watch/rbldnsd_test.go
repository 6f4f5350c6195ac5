package watch

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// zoneData is an rbldnsd ip4set with the RFC 5782 test point (unless
// broken) and the given listed addresses, each with a TXT reason.
func zoneData(healthy bool, listed ...string) string {
	var b strings.Builder
	b.WriteString(":127.0.0.2:Listed for spam, see https://bl.test/lookup?ip=$\n")
	if healthy {
		b.WriteString("127.0.0.2\n")
	}
	for _, a := range listed {
		b.WriteString(a + "\n")
	}
	return b.String()
}

// TestScriptedRunsAgainstRbldnsd drives watch through a series of runs
// against a real rbldnsd whose zone the test rewrites between runs (rbldnsd
// reloads it), and checks change detection, flap suppression, the exec
// hook and the recorded history.
func TestScriptedRunsAgainstRbldnsd(t *testing.T) {
	srv := rbldnsdtest.StartT(t, rbldnsdtest.Options{}, rbldnsdtest.Zone{Name: "bl.test", Type: "ip4set", Data: zoneData(true)})
	clock := newTestClock()
	db := openState(t, "", clock.Now)
	hookOut := filepath.Join(t.TempDir(), "hook.jsonl")
	hook := ExecHook{Argv: []string{"/bin/sh", "-c", `cat >> "$0"`, hookOut}}
	r := NewRunner(Config{ConfirmRuns: 2}, newDNSBLChecker(t, srv.Addr()), db, hook)
	r.Now = clock.Now
	ctx := context.Background()
	targets := []string{"192.0.2.1", "192.0.2.2"}

	steps := []struct {
		healthy bool
		listed  []string
		want    string // changes of the run, "kind target list" joined by "; "
	}{
		{true, nil, ""},
		{true, []string{"192.0.2.1"}, ""},                    // seen once: not yet
		{true, []string{"192.0.2.1"}, "listed 192.0.2.1 bl"}, // confirmed
		{true, nil, ""},                                      // one clean run: a flap
		{true, []string{"192.0.2.1"}, ""},                    // back: still confirmed listed
		{true, []string{"192.0.2.2"}, ""},                    // .1 clean once, .2 listed once
		{true, []string{"192.0.2.2"}, "delisted 192.0.2.1 bl; listed 192.0.2.2 bl"},
		{false, []string{"192.0.2.2"}, ""},              // list broken once
		{false, []string{"192.0.2.2"}, "unhealthy  bl"}, // confirmed; verdicts unknown
		{true, []string{"192.0.2.2"}, ""},               // healthy once
		{true, []string{"192.0.2.2"}, "healthy  bl"},    // .2 was never delisted
	}
	for i, s := range steps {
		if i > 0 {
			if err := srv.RewriteNow(ctx, "bl.test.ip4set", zoneData(s.healthy, s.listed...)); err != nil {
				t.Fatalf("run %d: rewrite: %v", i+1, err)
			}
		}
		clock.Advance(time.Hour)
		rep, err := r.Run(ctx, targets)
		if err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
		if got := changeSummary(rep.Changes); got != s.want {
			t.Errorf("run %d: changes %q, want %q (counts %s)", i+1, got, s.want, rep.CountsLine())
		}
	}
	checkHistory(t, db)
	checkHook(t, hookOut)
}

func changeSummary(cs []Change) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s %s %s", c.Kind, c.Target, c.List))
	}
	return strings.Join(parts, "; ")
}

// checkHistory: the raw timeline keeps the flap that the alerts suppressed.
func checkHistory(t *testing.T, db *state.DB) {
	t.Helper()
	ivs, err := db.Intervals(context.Background(), state.IntervalFilter{Target: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 2 || ivs[0].SeenRuns != 2 || ivs[1].SeenRuns != 1 || ivs[1].Open() {
		t.Errorf("192.0.2.1 intervals = %+v, want two closed (2 runs, 1 run)", ivs)
	}
	if len(ivs) > 0 && (len(ivs[0].TXT) != 1 || !strings.Contains(ivs[0].TXT[0], "192.0.2.1")) {
		t.Errorf("TXT not recorded: %q", ivs[0].TXT)
	}
	ivs, _ = db.Intervals(context.Background(), state.IntervalFilter{Target: "192.0.2.2"})
	// runs 6-7 listed, 8-9 unknown (unhealthy list): the interval stays open.
	if len(ivs) != 1 || !ivs[0].Open() || ivs[0].SeenRuns != 4 {
		t.Errorf("192.0.2.2 intervals = %+v, want one open seen in 4 runs", ivs)
	}
	runs, _ := db.Runs(context.Background(), 0)
	if len(runs) != 11 {
		t.Errorf("%d runs recorded, want 11", len(runs))
	}
	cs, _ := db.Changes(context.Background(), "")
	if len(cs) != 5 {
		t.Errorf("%d changes recorded, want 5: %+v", len(cs), cs)
	}
}

// checkHook: one JSON object per change on the hook's stdin.
func checkHook(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("hook output: %v", err)
	}
	defer f.Close()
	var kinds []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c Change
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("hook got %q: %v", sc.Text(), err)
		}
		kinds = append(kinds, string(c.Kind))
		if c.Kind == Listed && (c.Delist != "https://bl.test/remove" || len(c.TXT) == 0 || len(c.Codes) == 0) {
			t.Errorf("listed change lacks evidence: %+v", c)
		}
	}
	if got := strings.Join(kinds, " "); got != "listed delisted listed unhealthy healthy" {
		t.Errorf("hook saw %q", got)
	}
}
