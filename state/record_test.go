package state

import (
	"context"
	"encoding/json"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func recordAt(t *testing.T, db *DB, at time.Time, obs ...Observation) int64 {
	t.Helper()
	counts := map[dnsbl.Verdict]int{}
	for _, o := range obs {
		counts[o.Verdict]++
	}
	id, err := db.RecordRun(context.Background(), Record{
		Run:          Run{Source: "watch", Started: at, Finished: at, Targets: 1, Checks: len(obs), Verdicts: counts},
		Observations: obs,
	})
	if err != nil {
		t.Fatalf("RecordRun: %v", err)
	}
	return id
}

func recordSimple(t *testing.T, db *DB, target string, v dnsbl.Verdict) {
	t.Helper()
	recordAt(t, db, t0, Observation{Target: target, List: "zen", Zone: "zen.example", Verdict: v, Codes: []string{"127.0.0.2"}})
}

func TestIntervalsOpenExtendClose(t *testing.T) {
	db, _ := openTemp(t)
	obs := func(v dnsbl.Verdict, codes, txt []string) Observation {
		return Observation{Target: "192.0.2.1", List: "zen", Zone: "zen.example", Verdict: v, Codes: codes, TXT: txt, Delist: "https://example/delist"}
	}
	h := time.Hour
	recordAt(t, db, t0, obs(dnsbl.NotListed, nil, nil))
	recordAt(t, db, t0.Add(h), obs(dnsbl.Listed, []string{"127.0.0.2"}, []string{"spam"}))
	recordAt(t, db, t0.Add(2*h), obs(dnsbl.Error, nil, nil)) // says nothing
	recordAt(t, db, t0.Add(3*h), obs(dnsbl.Listed, []string{"127.0.0.4", "127.0.0.2"}, []string{"spam", "more"}))
	recordAt(t, db, t0.Add(4*h), obs(dnsbl.NotListed, nil, nil))
	recordAt(t, db, t0.Add(5*h), obs(dnsbl.Listed, []string{"127.0.0.2"}, nil))

	ivs, err := db.Intervals(context.Background(), IntervalFilter{Target: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 2 {
		t.Fatalf("got %d intervals, want 2: %+v", len(ivs), ivs)
	}
	a, b := ivs[0], ivs[1]
	if !a.FirstSeen.Equal(t0.Add(h)) || !a.LastSeen.Equal(t0.Add(3*h)) || !a.ClearedAt.Equal(t0.Add(4*h)) || a.SeenRuns != 2 {
		t.Errorf("first interval = %+v", a)
	}
	if got := a.Codes; len(got) != 2 || got[0] != "127.0.0.2" || got[1] != "127.0.0.4" {
		t.Errorf("codes = %v", got)
	}
	if len(a.TXT) != 2 {
		t.Errorf("txt = %v", a.TXT)
	}
	if !b.Open() || !b.FirstSeen.Equal(t0.Add(5*h)) {
		t.Errorf("second interval = %+v", b)
	}
	runs, _ := db.Runs(context.Background(), 0)
	if len(runs) != 6 || runs[0].Verdicts[dnsbl.Listed] != 1 {
		t.Errorf("runs = %+v", runs)
	}
}

func TestTracksAndChangesRoundTrip(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	tr := Track{TrackKey: TrackKey{SubjectListing, "192.0.2.1", "zen"}, Observed: "listed", Streak: 2,
		ObservedSince: t0, Confirmed: "listed", ConfirmedAt: t0.Add(time.Hour), Source: "watch"}
	ch := Change{At: t0.Add(time.Hour), Subject: SubjectListing, Target: "192.0.2.1", List: "zen", From: "not_listed", To: "listed"}
	id, err := db.RecordRun(ctx, Record{Run: Run{Source: "watch", Started: t0, Finished: t0}, Tracks: []Track{tr}, Changes: []Change{ch}})
	if err != nil {
		t.Fatal(err)
	}
	tracks, err := db.Tracks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := tracks[tr.TrackKey]; got != tr {
		t.Errorf("track = %+v, want %+v", got, tr)
	}
	tr.Streak = 3
	if _, err := db.RecordRun(ctx, Record{Run: Run{Source: "watch"}, Tracks: []Track{tr}}); err != nil {
		t.Fatal(err)
	}
	tracks, _ = db.Tracks(ctx)
	if len(tracks) != 1 || tracks[tr.TrackKey].Streak != 3 {
		t.Errorf("tracks after upsert = %+v", tracks)
	}
	cs, err := db.Changes(ctx, "192.0.2.1")
	if err != nil || len(cs) != 1 || cs[0].RunID != id || cs[0].To != "listed" {
		t.Errorf("changes = %+v, %v", cs, err)
	}
}

func TestClipKeepsUTF8(t *testing.T) {
	if got := textsafe.Cut("ééé", 3); got != "é" {
		t.Errorf("clip = %q", got)
	}
}

func TestListingStart(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	o := Observation{Target: "192.0.2.1", List: "zen", Zone: "zen.example", Verdict: dnsbl.Listed}
	recordAt(t, db, t0, o)
	recordAt(t, db, t0.Add(time.Hour), o)
	start, ok, err := db.ListingStart(ctx, "192.0.2.1", "zen")
	if err != nil || !ok || !start.Equal(t0) {
		t.Errorf("ListingStart = %v, %v, %v; want %v", start, ok, err, t0)
	}
	o.Verdict = dnsbl.NotListed
	recordAt(t, db, t0.Add(2*time.Hour), o)
	if _, ok, err := db.ListingStart(ctx, "192.0.2.1", "zen"); ok || err != nil {
		t.Errorf("after delisting: ok=%v err=%v", ok, err)
	}
}

func TestIntervalJSONClearedAtNullWhileOpen(t *testing.T) {
	iv := Interval{Target: "192.0.2.1", List: "zen", FirstSeen: t0, LastSeen: t0, Codes: []string{}, TXT: []string{}}
	b, err := json.Marshal(iv)
	if err != nil || !strings.Contains(string(b), `"cleared_at":null`) || strings.Count(string(b), "cleared_at") != 1 {
		t.Errorf("open interval JSON = %s, %v", b, err)
	}
	iv.ClearedAt = t0.Add(time.Hour)
	b, _ = json.Marshal(iv)
	if !strings.Contains(string(b), `"cleared_at":"2026-03-01T01:00:00Z"`) {
		t.Errorf("closed interval JSON = %s", b)
	}
}
