package watch

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// script runs detect over a series of runs, one verdict per run for
// 192.0.2.1 on list "bl" (letters: L listed, C clean, E error, U list
// unhealthy), keeping the tracks as the database would, and returns the
// changes per run as "kind" strings ("-" for none).
func script(t *testing.T, cfg Config, step time.Duration, runs string) []string {
	t.Helper()
	cfg = cfg.WithDefaults()
	tracks := map[state.TrackKey]state.Track{}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var got []string
	for _, ch := range runs {
		out := Outcome{Health: []ListHealth{{List: "bl", Zone: "bl.test", Healthy: ch != 'U'}}}
		v := map[rune]dnsbl.Verdict{'L': dnsbl.Listed, 'C': dnsbl.NotListed, 'E': dnsbl.Error, 'U': dnsbl.Unknown}[ch]
		out.Results = []dnsbl.Result{{Target: "192.0.2.1", Query: "192.0.2.1", List: "bl", Zone: "bl.test", Verdict: v}}
		det := detect(cfg, tracks, out, now, "watch")
		for _, tr := range det.tracks {
			tracks[tr.TrackKey] = tr
		}
		var kinds []string
		for _, c := range det.changes {
			kinds = append(kinds, string(c.Kind))
		}
		if len(kinds) == 0 {
			kinds = []string{"-"}
		}
		got = append(got, strings.Join(kinds, "+"))
		now = now.Add(step)
	}
	return got
}

func TestDetectScriptedRuns(t *testing.T) {
	cases := []struct {
		name    string
		confirm int
		runs    string
		want    string
	}{
		{"clean from the start is not news", 2, "CCCC", "- - - -"},
		{"listing confirmed at the second run", 2, "CLLL", "- - listed -"},
		{"first sight of a listing", 2, "LL", "- listed"},
		{"one stray listing is suppressed", 2, "CLCCLC", "- - - - - -"},
		{"delisting confirmed", 2, "LLCC", "- listed - delisted"},
		{"errors neither confirm nor break a streak", 2, "CLEL", "- - - listed"},
		{"confirm 1 reports at once", 1, "CLC", "- listed delisted"},
		{"confirm 3", 3, "LLLCCC", "- - listed - - delisted"},
		{"unhealthy list confirmed, then recovered", 2, "CUUCC", "- - unhealthy - healthy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(script(t, Config{ConfirmRuns: c.confirm}, time.Hour, c.runs), " ")
			if got != c.want {
				t.Errorf("runs %s: got %q, want %q", c.runs, got, c.want)
			}
		})
	}
}

func TestDetectUnknownTooLong(t *testing.T) {
	cfg := Config{ConfirmRuns: 1, UnknownAfter: 3 * time.Hour}
	got := strings.Join(script(t, cfg, time.Hour, "CEEEEEECEEEE"), " ")
	// unknown reported once when 3h are reached, again after a definite run
	want := "- - - - unknown - - - - - - unknown"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// An unhealthy list explains its unknown verdicts: no per-target alert.
	got = strings.Join(script(t, cfg, time.Hour, "CUUUUU"), " ")
	if strings.Contains(got, "unknown") {
		t.Errorf("unknown reported for an unhealthy list: %q", got)
	}
}

func TestDetectStableTracksNotRewritten(t *testing.T) {
	cfg := Config{ConfirmRuns: 2}.WithDefaults()
	tracks := map[state.TrackKey]state.Track{}
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var writes []int
	for i := range 5 {
		var out Outcome
		for j := range 100 {
			out.Results = append(out.Results, dnsbl.Result{Query: fmt.Sprintf("192.0.2.%d", j), List: "bl", Verdict: dnsbl.NotListed})
		}
		det := detect(cfg, tracks, out, now.Add(time.Duration(i)*time.Hour), "watch")
		for _, tr := range det.tracks {
			tracks[tr.TrackKey] = tr
		}
		writes = append(writes, len(det.tracks))
	}
	if fmt.Sprint(writes) != "[100 100 0 0 0]" {
		t.Errorf("track writes per run = %v, want [100 100 0 0 0]", writes)
	}
}

func TestChangeCarriesEvidence(t *testing.T) {
	cfg := Config{ConfirmRuns: 1}.WithDefaults()
	out := Outcome{Results: []dnsbl.Result{{Target: "192.0.2.0/30", Query: "192.0.2.1", List: "bl", Zone: "bl.test",
		Verdict: dnsbl.Listed, Codes: []string{"127.0.0.2"}, TXT: []string{"see https://bl.test/192.0.2.1"},
		Delist: "https://bl.test/remove"}}}
	det := detect(cfg, nil, out, time.Unix(0, 0), "watch")
	if len(det.changes) != 1 {
		t.Fatalf("changes = %+v", det.changes)
	}
	c := det.changes[0]
	if c.Target != "192.0.2.1" || c.Asked != "192.0.2.0/30" || c.Delist == "" || len(c.TXT) != 1 || c.From != "" || c.To != "listed" {
		t.Errorf("change = %+v", c)
	}
}
