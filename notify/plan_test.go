package notify

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

func planFixture(t *testing.T) ([]Batch, Input) {
	t.Helper()
	in := testInput(t)
	batches, skipped := Group(in, Policy{})
	if len(skipped) != 0 || len(batches) != 3 {
		t.Fatalf("Group: %d batches, %v skipped", len(batches), skipped)
	}
	return batches, in
}

func TestPlanWithoutHistoryKeepsEverything(t *testing.T) {
	batches, _ := planFixture(t)
	got, skipped, err := Plan(context.Background(), batches, &MemoryStore{}, Limits{Cooldown: DefaultCooldown, Now: renderTime})
	if err != nil || len(got) != 3 || len(skipped) != 0 {
		t.Fatalf("got %d batches, %v skipped, %v", len(got), skipped, err)
	}
}

func TestPlanDropsIncidentsAlreadySent(t *testing.T) {
	batches, _ := planFixture(t)
	st := &MemoryStore{}
	// The desk of 192.0.2.74 was told about the random-address probe only.
	st.RecordSent(context.Background(), SentRecord{
		Desk: "abuse@filter.example.net", SentAt: renderTime.Add(-30 * 24 * time.Hour),
		Keys: []string{IncidentKey("192.0.2.74", "mx42.filter.example.net-1503146097-testing@example.org", batches[0].Probers[0].FirstSeen)},
	})
	got, skipped, err := Plan(context.Background(), batches, st, Limits{Cooldown: DefaultCooldown, Now: renderTime})
	if err != nil || len(skipped) != 0 {
		t.Fatal(err, skipped)
	}
	p := got[0].Probers[0]
	if p.Probes != 1 || !slices.Equal(p.ProbedAddresses, []string{"keerheior@example.org"}) || !p.FirstSeen.Equal(p.LastSeen) {
		t.Errorf("pruned prober = %d probes %v %v..%v", p.Probes, p.ProbedAddresses, p.FirstSeen, p.LastSeen)
	}
	// Told about everything: the desk is skipped.
	st.RecordSent(context.Background(), SentRecord{Desk: "abuse@filter.example.net", SentAt: renderTime.Add(-30 * 24 * time.Hour), Keys: BatchKeys(batches[0])})
	got, skipped, _ = Plan(context.Background(), batches, st, Limits{Cooldown: DefaultCooldown, Now: renderTime})
	if len(got) != 2 || len(skipped) != 1 || skipped[0].Reason != SkipAlreadyNotified {
		t.Errorf("got %d batches, skipped %+v", len(got), skipped)
	}
}

// Another desk has not been told: dedupe keys belong to a desk.
func TestPlanKeysArePerDesk(t *testing.T) {
	batches, _ := planFixture(t)
	st := &MemoryStore{}
	st.RecordSent(context.Background(), SentRecord{Desk: "someone@else.example", SentAt: renderTime.Add(-time.Hour), Keys: BatchKeys(batches[0])})
	got, _, _ := Plan(context.Background(), batches, st, Limits{Cooldown: DefaultCooldown, Now: renderTime})
	if len(got) != 3 {
		t.Errorf("got %d batches, want 3", len(got))
	}
}

func TestPlanCooldown(t *testing.T) {
	batches, _ := planFixture(t)
	st := &MemoryStore{}
	last := renderTime.Add(-2 * 24 * time.Hour)
	st.RecordSent(context.Background(), SentRecord{Desk: "abuse@isp.example", SentAt: last, Keys: []string{"other|incident|2017-08-01"}})
	got, skipped, _ := Plan(context.Background(), batches, st, Limits{Cooldown: DefaultCooldown, Now: renderTime})
	if len(got) != 2 || len(skipped) != 1 || skipped[0].Reason != SkipCooldown || !skipped[0].Until.Equal(last.Add(DefaultCooldown)) {
		t.Errorf("got %d, skipped %+v", len(got), skipped)
	}
	// After the cool-down the new incidents go out.
	got, _, _ = Plan(context.Background(), batches, st, Limits{Cooldown: DefaultCooldown, Now: last.Add(DefaultCooldown)})
	if len(got) != 3 {
		t.Errorf("after cool-down: %d batches, want 3", len(got))
	}
}

func TestPlanCapSkipsDraftsFromCount(t *testing.T) {
	batches, _ := planFixture(t)
	got, skipped, _ := Plan(context.Background(), batches, nil, Limits{MaxPerRun: 1, Now: renderTime})
	if len(got) != 2 || got[1].Contact != nil || len(skipped) != 1 || skipped[0].Reason != SkipCap {
		t.Errorf("got %d (last contact %v), skipped %+v", len(got), got[len(got)-1].Contact, skipped)
	}
}

func TestSuppression(t *testing.T) {
	in := testInput(t)
	for _, list := range [][]string{{"abuse@filter.example.net"}, {"filter.example.net"}, {"@example.net"}} {
		batches, skipped := Group(in, Policy{Suppress: list})
		if len(skipped) == 0 || skipped[0].Reason != SkipSuppressed {
			t.Errorf("%v: skipped %+v", list, skipped)
			continue
		}
		for _, b := range batches {
			if b.Contact != nil && strings.HasSuffix(b.Contact.Address, "filter.example.net") {
				t.Errorf("%v: suppressed desk still chosen", list)
			}
		}
	}
	// Passing over the suppressed network desk falls back to the domain's.
	batches, _ := Group(in, Policy{Suppress: []string{"filter.example.net"}})
	if batches[0].Contact == nil || batches[0].Contact.Address != "abuse@example.net" {
		t.Errorf("fallback contact = %+v", batches[0].Contact)
	}
}

func TestRankPrefersNetworkThenConfidence(t *testing.T) {
	in := testInput(t)
	batches, _ := Group(in, Policy{})
	if batches[0].Contact.Address != "abuse@filter.example.net" {
		t.Errorf("chose %s, want the network contact", batches[0].Contact.Address)
	}
	if batches[1].Contact.Address != "Abuse@ISP.example" || batches[1].Desk() != "abuse@isp.example" {
		t.Errorf("desk %q of %q", batches[1].Desk(), batches[1].Contact.Address)
	}
}

func TestIncidentKey(t *testing.T) {
	at := time.Date(2017, 8, 19, 0, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	if got := IncidentKey("192.0.2.74", "Keer@Example.org", at); got != "192.0.2.74|keer@example.org|2017-08-18" {
		t.Errorf("key = %q (the day is UTC's)", got)
	}
}

// A listing-evidence or vendor-inquiry notice about no probers has no
// incidents: it is not "already notified".
func TestPlanKeepsNoticeWithoutIncidents(t *testing.T) {
	b := []Batch{{Contact: &whoisctx.Contact{Address: "listings@spamrl.example"}}}
	got, skipped, err := Plan(context.Background(), b, &MemoryStore{}, Limits{Now: renderTime})
	if err != nil || len(got) != 1 || len(skipped) != 0 {
		t.Errorf("got %d, skipped %v, %v", len(got), skipped, err)
	}
}
