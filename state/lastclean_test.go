package state

import (
	"context"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// A listing's start is bracketed only when an earlier run saw the target
// clean: the track of the previous run, or an earlier interval that was
// cleared. The first run that ever checks a target and finds it listed
// brackets nothing.
func TestLastCleanBracketsTheStart(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	run := func(at time.Time, list string, v dnsbl.Verdict) {
		t.Helper()
		o := Observation{Target: "192.0.2.1", List: list, Zone: list + ".test", Verdict: v}
		rec := Record{Run: Run{Source: "watch", Started: at, Finished: at}, Observations: []Observation{o},
			Tracks: []Track{{TrackKey: TrackKey{SubjectListing, o.Target, list}, Observed: string(v), Streak: 1, ObservedSince: at}}}
		if _, err := db.RecordRun(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	run(t0, "a", dnsbl.Listed) // first ever run: listed
	run(t0.Add(time.Hour), "b", dnsbl.NotListed)
	run(t0.Add(2*time.Hour), "b", dnsbl.Listed)
	if _, ok, err := db.LastClean(ctx, "192.0.2.1", "a", t0); ok || err != nil {
		t.Errorf("list a: a clean run before the first run? ok=%v err=%v", ok, err)
	}
	at, ok, err := db.LastClean(ctx, "192.0.2.1", "b", t0.Add(2*time.Hour))
	if !ok || err != nil || !at.Equal(t0.Add(time.Hour)) {
		t.Errorf("list b: last clean %v ok=%v err=%v, want %v", at, ok, err, t0.Add(time.Hour))
	}
	run(t0.Add(3*time.Hour), "b", dnsbl.NotListed) // cleared
	run(t0.Add(4*time.Hour), "b", dnsbl.Listed)    // listed again
	if at, ok, _ := db.LastClean(ctx, "192.0.2.1", "b", t0.Add(4*time.Hour)); !ok || !at.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("relisted: last clean %v ok=%v, want %v", at, ok, t0.Add(3*time.Hour))
	}
}

// Intervals written before clean_before existed are dated from the
// earlier cleared interval of the same target and list, when there is one.
func TestBackfillCleanBefore(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour)} {
		o := Observation{Target: "192.0.2.1", List: "b", Zone: "b.test", Verdict: dnsbl.Listed}
		if i == 1 {
			o.Verdict = dnsbl.NotListed
		}
		recordAt(t, db, at, o)
	}
	// As an older version wrote them: no clean_before at all.
	if _, err := db.SQL().Exec("UPDATE intervals SET clean_before = ''"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(backfillCleanBefore); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := db.LastClean(ctx, "192.0.2.1", "b", t0); ok {
		t.Error("the first interval got a clean run before it")
	}
	if at, ok, _ := db.LastClean(ctx, "192.0.2.1", "b", t0.Add(2*time.Hour)); !ok || !at.Equal(t0.Add(time.Hour)) {
		t.Errorf("second interval: %v %v, want the clearing run at %v", at, ok, t0.Add(time.Hour))
	}
}

// An interval closed as unmonitored (the target left the configuration,
// or nobody checked it for longer than max_gap) ends when it was last seen
// listed, not at a run that saw it clean: it brackets no later listing.
func TestUnmonitoredIsNoCleanRun(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	t0 := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	o := Observation{Target: "192.0.2.1", List: "b", Zone: "b.test", Verdict: dnsbl.Listed}
	recordAt(t, db, t0, o)
	// What closeUnmonitored and recordIntervals write for such an interval.
	if _, err := db.SQL().Exec("UPDATE intervals SET cleared_at = last_seen, closed_as = 'unmonitored'"); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(30 * 24 * time.Hour)
	recordAt(t, db, later, o)
	if at, ok, err := db.LastClean(ctx, "192.0.2.1", "b", later); ok || err != nil {
		t.Errorf("after an unmonitored gap: last clean %v ok=%v err=%v, want none", at, ok, err)
	}
}
