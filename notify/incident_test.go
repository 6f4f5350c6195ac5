package notify

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
	"github.com/dnsblaudit/dnsblaudit/templates"
)

// A random probe asks for no forged address, so its links (Match
// "domain") name addresses the prober never asked about. A notice keeps
// them when the probe is one it reports (by time, inside the prober's
// span), not by address, and drops them for probes it does not report.
func TestRestrictCampaignKeepsRandomProbeLinksByTime(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 13, 10, 25, 0, time.UTC)
	p := evidence.Prober{IP: "198.51.100.40", FirstSeen: t0, LastSeen: t0,
		ProbedAddresses: []string{"gw.school.example-1795180230-testing@example.com"}}
	link := func(ip, addr string, at time.Time) evidence.Link {
		return evidence.Link{ProberIP: ip, Address: addr, ProbedAt: at, ForgedAt: at.Add(-3 * time.Minute), DelaySec: 180, Match: "domain"}
	}
	c := evidence.Campaign{
		ForgedSenders: []evidence.ForgedSender{{Address: "pkgreewaa@example.com"}},
		Links: []evidence.Link{
			link("198.51.100.40", "pkgreewaa@example.com", t0),
			link("198.51.100.40", "keerheior@example.com", t0.Add(-24*time.Hour)), // a probe told about before
			link("198.51.100.77", "pkgreewaa@example.com", t0),                    // another prober
		},
	}
	got := restrictCampaign(c, []evidence.Prober{p})
	if len(got.Links) != 1 || got.Links[0].Address != "pkgreewaa@example.com" || got.Links[0].ProberIP != "198.51.100.40" {
		t.Errorf("links = %+v, want only the one of 198.51.100.40's reported probe", got.Links)
	}
	if len(got.ForgedSenders) != 0 {
		t.Errorf("forged senders = %+v: the prober asked about none of them", got.ForgedSenders)
	}
}

// "Our outbound logs from A to B show no mail to your host" may only name
// the time the MX's delivery lines cover: a case's window that opens on
// the 17th says nothing when the log begins on the 20th.
func TestOutboundFactsSpanWhatTheLogCovers(t *testing.T) {
	at := func(d, h, m int) *time.Time {
		v := time.Date(2026, 11, d, h, m, 0, 0, time.UTC)
		return &v
	}
	o := &outbound.Report{Read: true,
		Deliveries: outbound.Tally{Count: 6, First: at(20, 8, 23), Last: at(20, 15, 17)},
		Local:      outbound.Tally{Count: 12, First: at(20, 8, 13), Last: at(20, 15, 43)},
	}
	f := outboundFacts(o, nil, *at(17, 15, 10), *at(21, 9, 0))
	if f == nil || !f.Since.Equal(*at(20, 8, 13)) || !f.Until.Equal(*at(20, 15, 43)) {
		t.Fatalf("outbound facts = %+v, want the log's span 2026-11-20 08:13 to 15:43", f)
	}
	// A log longer than the window speaks only for the window.
	f = outboundFacts(o, nil, *at(20, 9, 0), *at(20, 12, 0))
	if !f.Since.Equal(*at(20, 9, 0)) || !f.Until.Equal(*at(20, 12, 0)) {
		t.Errorf("outbound facts = %+v, want the window 09:00 to 12:00", f)
	}
}

// The note on a listing-evidence draft tells the reviewer why it has no
// To: it goes to the list's operator. "No abuse contact found for" its
// probers would send the reviewer looking for the wrong thing.
func TestListingEvidenceDraftNoteNamesTheListOperator(t *testing.T) {
	opts := testOptions(t)
	opts.Template = templates.ListingEvidence
	opts.Listing = &templates.Listing{List: "spamrl", IP: "198.51.100.25"}
	notices, err := Render(testInput(t), opts)
	if err != nil || len(notices) != 1 || !notices[0].NeedsRecipient {
		t.Fatalf("render: %v, %d notices", err, len(notices))
	}
	note := notices[0].needsRecipientNote()
	if strings.Contains(note, "abuse contact") || !strings.Contains(note, "list's operator") {
		t.Errorf("draft note %q", note)
	}
}

// A probe may have reached the greylisting gateway rather than the listed
// MX: the notice names the case's subject and every configured mail
// exchanger (notify.mx_ips), each once, so the desk can find our side of
// each connection in its logs.
func TestNoticeNamesEveryOwnMX(t *testing.T) {
	got := ourIPs([]string{"203.0.113.25"}, []string{"203.0.113.25", "203.0.113.26", "2001:DB8::25", "2001:db8::25"})
	want := []string{"203.0.113.25", "203.0.113.26", "2001:db8::25"}
	if !slices.Equal(got, want) {
		t.Errorf("ourIPs = %v, want %v", got, want)
	}
	if got := ourIPs(nil, nil); len(got) != 0 {
		t.Errorf("ourIPs of nothing = %v", got)
	}
}

// `notify --case DIR --template listing-evidence` run days after the case
// dates the check by the case's check, not by the day it renders.
func TestListingEvidenceDatesTheCheckByTheCase(t *testing.T) {
	data := []byte(`{"subject":"203.0.113.25","created":"2026-11-21T09:00:00Z",
	"checks":[{"target":"203.0.113.25","list":"callbackrl","checked":"2026-11-21T08:59:58Z"}],
	"listings":[{"target":"203.0.113.25","list":"callbackrl","zone":"dha.rbl.test","codes":["127.0.0.2"]}],
	"evidence":{"domains":["example.com"],"probers":[{"ip":"192.0.2.65","probe_count":1}]}}`)
	in, err := ParseCase("case.json", data)
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t)
	opts.Template = templates.ListingEvidence
	opts.Zone = time.UTC
	opts.Now = func() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC) }
	notices, err := Render(in, opts)
	if err != nil || len(notices) != 1 {
		t.Fatalf("render: %v", err)
	}
	body := strings.Join(strings.Fields(notices[0].Body), " ")
	if !strings.Contains(body, "checked 2026-11-21 08:59:58 +0000 UTC") {
		t.Errorf("the check is not dated by the case:\n%s", notices[0].Body)
	}
}

// A prober pruned to its new probes counts only those: the scan's
// omitted middle probes had no keys, so their count would be a guess.
func TestPrunedProberCountsOnlyKeptProbes(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	var evs []evidence.Probe
	for i := range 4 {
		evs = append(evs, evidence.Probe{Time: t0.Add(time.Duration(i) * time.Hour), IP: "192.0.2.66", Recipients: []string{"a@example.com"}})
	}
	evs[3].Time = t0.Add(24 * time.Hour) // a new day: a new incident
	p := evidence.Prober{IP: "192.0.2.66", Probes: 30, Omitted: 26, AddressesTruncated: true, Events: evs}
	got, ok := pruneProber(p, map[string]bool{IncidentKey("192.0.2.66", "a@example.com", t0): true})
	if !ok || got.Probes != 1 || got.Omitted != 0 || got.AddressesTruncated || len(got.Events) != 1 {
		t.Errorf("pruned: ok %v, %d probes, %d omitted, truncated %v, %d events", ok, got.Probes, got.Omitted, got.AddressesTruncated, len(got.Events))
	}
}
