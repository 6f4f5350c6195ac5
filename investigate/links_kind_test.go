package investigate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// withRandomOnly adds a prober whose one Exim random probe asked only for
// a random local part, tied by the scan to a forgery in the domain by time
// alone (Link.Match "domain"), as evidence/campaign.go links it.
func withRandomOnly(rep evidence.Report, ip string, at time.Time) evidence.Report {
	epoch := at.Add(-time.Second)
	random := fmt.Sprintf("mx42.prober.test-%d-testing@example.com", epoch.Unix())
	ev := evidence.Probe{Time: at, IP: ip, Recipients: []string{random}, Kind: "exim-random", Epoch: &epoch, Confidence: 0.95}
	rep.Probers = append(rep.Probers, evidence.Prober{IP: ip, Probes: 1, Kinds: []string{"exim-random"},
		ProbedAddresses: []string{random}, FirstSeen: at, LastSeen: at, Events: []evidence.Probe{ev}})
	f := rep.Campaign.ForgedSenders[0]
	rep.Campaign.Links = append(rep.Campaign.Links, evidence.Link{ProberIP: ip, Address: f.Address, ForgedAt: f.FirstSeen,
		ProbedAt: at, DelaySec: at.Sub(f.FirstSeen).Seconds(), Match: "domain", ProbeKind: "exim-random"})
	return rep
}

// A random probe linked by time is counted apart from the probes that
// asked about a forged address; both still count as linked for the verdict.
func TestLinkKinds(t *testing.T) {
	rep := withRandomOnly(storyReport(2), "192.0.2.65", t0.Add(30*time.Second))
	l := link(rep, evidence.DefaultLinkWindow)
	if l.asked.probes != 4 || len(l.asked.hosts) != 2 || !l.asked.first.Equal(t0.Add(41*time.Second)) {
		t.Errorf("asked: %d probes from %d hosts, first %v; want 4 from 2, first T0+41 s", l.asked.probes, len(l.asked.hosts), l.asked.first)
	}
	if l.byTime.probes != 1 || !l.byTime.hosts["192.0.2.65"] || len(l.byTime.hosts) != 1 || !l.byTime.first.Equal(t0.Add(30*time.Second)) {
		t.Errorf("by time: %d probes from %v, first %v; want 1 from 192.0.2.65 at T0+30 s", l.byTime.probes, l.byTime.hosts, l.byTime.first)
	}
	if l.linkedProbes != 5 || len(l.linkedIPs) != 3 {
		t.Errorf("linked: %d probes from %d hosts, want 5 from 3", l.linkedProbes, len(l.linkedIPs))
	}
	h := Explain([]Listing{bracketed(dictionaryTXT, listed)}, rep)
	for _, want := range []string{
		"from T0+41 s, 4 probes from 2 hosts asked about forged addresses within 1 d of a forged use; " +
			"from T0+30 s, 1 probe from 1 host asked about a random address soon after a forgery (linked by time only).",
		"after 5 of the callouts linked to forged senders",
	} {
		if !strings.Contains(h.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, h.Summary)
		}
	}
	wantFacts(t, h.Facts,
		"First callout asking about a forged address, 41 s after the first forged use; 4 probes from 2 hosts asked about forged addresses.",
		"First random-address callout after a forgery, 30 s after the first forged use; 1 probe from 1 host asked about a random address soon after a forgery (linked by time only)")
}

// With only random probes linked by time, nothing says a host asked about
// a forged address.
func TestLinkOnlyByTime(t *testing.T) {
	rep := storyReport(0)
	rep = withRandomOnly(rep, "192.0.2.65", t0.Add(41*time.Second))
	rep = withRandomOnly(rep, "192.0.2.70", t0.Add(8*time.Minute))
	h := Explain([]Listing{bracketed(dictionaryTXT, listed)}, rep)
	want := "no callout asked about a forged address; from T0+41 s, 2 probes from 2 hosts asked about a random address soon after a forgery (linked by time only)."
	if !strings.Contains(h.Summary, want) {
		t.Errorf("summary lacks %q:\n%s", want, h.Summary)
	}
	for _, f := range h.Facts {
		if strings.Contains(f.Text, "asked about forged addresses") || strings.Contains(f.Text, "asking about a forged address") {
			t.Errorf("fact says a random probe asked about a forged address: %s", f.Text)
		}
	}
}

// wantFacts: each text begins one of the facts.
func wantFacts(t *testing.T, facts []Fact, texts ...string) {
	t.Helper()
	for _, want := range texts {
		found := false
		for _, f := range facts {
			found = found || strings.HasPrefix(f.Text, want)
		}
		if !found {
			t.Errorf("no fact begins %q", want)
		}
	}
}

// withUnsampled adds a prober whose sample holds one probe that is not
// linked and whose 3 linked probes lie between its sampled ones: the scan
// counts them (Prober.LinkedProbes, Campaign.OmittedLinks) without kind.
func withUnsampled(rep evidence.Report, ip string, at time.Time) evidence.Report {
	ev := evidence.Probe{Time: at.Add(-48 * time.Hour), IP: ip, Recipients: []string{"nobody@example.com"}, Kind: "null-sender"}
	rep.Probers = append(rep.Probers, evidence.Prober{IP: ip, Probes: 13, LinkedProbes: 3, Omitted: 12,
		FirstSeen: ev.Time, LastSeen: ev.Time, Events: []evidence.Probe{ev}})
	rep.Campaign.OmittedLinks = evidence.OmittedLinks{Probes: 3, BucketSeconds: 60,
		Buckets: []evidence.TimeCount{{Start: at, Count: 2}, {Start: at.Add(time.Hour), Count: 1}}}
	return rep
}

// Linked probes outside the samples are stated as such: neither said to
// have asked about a forged address nor left out.
func TestLinkUnsampled(t *testing.T) {
	rep := withUnsampled(storyReport(1), "192.0.2.50", t0.Add(10*time.Minute))
	h := Explain([]Listing{bracketed(dictionaryTXT, listed)}, rep)
	want := "from T0+41 s, 2 probes from 1 host asked about forged addresses within 1 d of a forged use; " +
		"3 more probes from 1 host were linked to a forgery outside the evidence's samples (not told apart by kind)."
	if !strings.Contains(h.Summary, want) || !strings.Contains(h.Summary, "after 5 of the callouts linked") {
		t.Errorf("summary lacks %q or the 5 linked:\n%s", want, h.Summary)
	}
	wantFacts(t, h.Facts, "3 more probes from 1 host were linked to a forgery outside the evidence's samples (not told apart by kind): ")

	// Only unsampled links: nothing says no callout asked about a forged address.
	rep = withUnsampled(storyReport(0), "192.0.2.50", t0.Add(10*time.Minute))
	h = Explain([]Listing{bracketed(dictionaryTXT, listed)}, rep)
	if strings.Contains(h.Summary, "no callout asked") || !strings.Contains(h.Summary, "; 3 more probes from 1 host were linked") {
		t.Errorf("summary: %s", h.Summary)
	}
}
