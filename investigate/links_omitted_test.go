package investigate

import (
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// TestLinkCountsOmittedProbes: probes outside a prober's sample that the
// scan linked count as linked, by the scan's buckets; a bucket across the
// window's edge counts on neither side.
func TestLinkCountsOmittedProbes(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 13, 0, 0, 0, time.UTC)
	rep := evidence.Report{
		Probers: []evidence.Prober{{IP: "192.0.2.50", Probes: 13, LinkedProbes: 3, Omitted: 12,
			Events: []evidence.Probe{{IP: "192.0.2.50", Time: t0.Add(-time.Hour), Recipients: []string{"nobody@victim.test"}}}}},
		Campaign: evidence.Campaign{OmittedLinks: evidence.OmittedLinks{Probes: 3, BucketSeconds: 60,
			Buckets: []evidence.TimeCount{{Start: t0, Count: 2}, {Start: t0.Add(time.Hour), Count: 1}}}},
	}
	l := link(rep, evidence.DefaultLinkWindow)
	if l.linkedProbes != 3 || l.probes != 13 || len(l.linkedIPs) != 1 || !l.firstLinked.Equal(t0) {
		t.Errorf("linked %d of %d probes from %v, first %v; want 3 of 13 from the prober, first %v", l.linkedProbes, l.probes, l.linkedIPs, l.firstLinked, t0)
	}
	if n := l.linkedBetween(t0.Add(-time.Hour), t0.Add(time.Minute)); n != 2 {
		t.Errorf("linked in the hour to 13:01: %d, want 2", n)
	}
	if n := l.linkedBetween(t0.Add(-time.Hour), t0.Add(30*time.Second)); n != 0 {
		t.Errorf("linked in the hour to 13:00:30: %d, want 0 (the 13:00 bucket crosses the edge)", n)
	}
}
