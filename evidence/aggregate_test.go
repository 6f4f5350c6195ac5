package evidence

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestOwnRingsKeepsReport: giving the ring probes their copies during
// the scan (ownRings) changes nothing in the report, and every reported
// probe has its reason written (Probe.own, verdict.because).
func TestOwnRingsKeepsReport(t *testing.T) {
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	build := func(passes bool) []Prober {
		a := newAggregator()
		for i := range 40 {
			p := Probe{Time: start.Add(time.Duration(i) * time.Second), IP: "192.0.2.1", Format: "exim",
				Kind: ProbeEximRandom, Confidence: 0.99, Recipients: []string{fmt.Sprintf("a%d@victim.example", i)},
				Lines: []Line{{File: "mainlog", Line: i + 1, Raw: fmt.Sprintf("line %d", i)}}}
			p.because = func() string { return fmt.Sprintf("reason %d", i) }
			a.add(p)
			if passes && i%7 == 0 {
				a.ownRings()
			}
		}
		return a.result()
	}
	with, without := build(true), build(false)
	if !reflect.DeepEqual(with, without) {
		t.Fatalf("ownRings changed the report:\n%+v\n%+v", with, without)
	}
	if len(with) != 1 || with[0].Probes != 40 || len(with[0].Events) != 2*SampleSize {
		t.Fatalf("got %+v", with)
	}
	for _, p := range with[0].Events {
		if want := "reason " + p.Lines[0].Raw[len("line "):]; p.Reason != want {
			t.Errorf("probe %s: reason %q, want %q", p.Lines[0].Raw, p.Reason, want)
		}
	}
}
