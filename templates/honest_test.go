package templates

import (
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"strings"
	"testing"
	"time"
)

// A callback notice names our MX, the registry's prefix for the prober
// (not a /24 made up from its address), the zone of the quoted stamps,
// and says "no mail from us to your host" only when our outbound logs
// were read and show none.
func TestCallbackNoticeClaimsOnlyWhatIsKnown(t *testing.T) {
	d := sampleData(t)
	r, err := Default().Render(CallbackNotice, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, never := range []string{"no mail", "sent your host no", "192.0.2.0/24"} {
		if strings.Contains(r.Body, never) {
			t.Errorf("without outbound logs or a registry record the notice says %q", never)
		}
	}
	d.OurIPs = []string{"198.51.100.25"}
	d.LogZone = "UTC"
	d.Networks = map[string]Network{"192.0.2.74": {Prefix: "192.0.2.0/25", Registry: "arin", NetName: "FILTER-NET"}}
	since := time.Date(2017, 8, 16, 0, 0, 0, 0, time.UTC)
	d.Outbound = &Outbound{SentTo: []string{"203.0.113.9"}, Since: since, Until: since.Add(96 * time.Hour), Deliveries: 40}
	r, err = Default().Render(CallbackNotice, d)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Join(strings.Fields(r.Body), " ")
	for _, want := range []string{
		"Our mail exchangers for example.org (among them 198.51.100.25) were contacted by",
		"Network: 192.0.2.0/25 (FILTER-NET), as registered at ARIN",
		"show no mail from our mail exchanger to 192.0.2.74",
		"show that our mail exchanger did send mail to 203.0.113.9",
		"time stamps in the lines that carry no zone of their own are in UTC",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("notice lacks %q:\n%s", want, r.Body)
		}
	}
}

// A probe of an Exim random address names no forged sender: evidence ties
// it to forged addresses of the same domain by time alone (Match
// "domain"). The notices must not say the host asked about those
// addresses; they say it asked about a random address, after the nearest
// forged use, once per probe.
func TestRandomProbeIsNotSaidToAskForTheForgedAddress(t *testing.T) {
	d := sampleData(t)
	probed := time.Date(2017, 8, 19, 12, 35, 38, 0, time.UTC)
	link := func(addr string, before time.Duration) evidence.Link {
		return evidence.Link{ProberIP: "192.0.2.74", Address: addr, ForgedAt: probed.Add(-before),
			ProbedAt: probed, DelaySec: before.Seconds(), Match: "domain", ProbeKind: "exim-random"}
	}
	d.Campaign.Links = []evidence.Link{
		link("anecowuutp@example.org", 10*time.Minute),
		link("keerheior@example.org", 41*time.Second),
		link("eemioiyv@example.org", -5*time.Second), // dated after the probe: never "came after"
	}
	for _, tmpl := range []string{CallbackNotice, ListingEvidence} {
		r, err := Default().Render(tmpl, d)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.Join(strings.Fields(r.Body), " ")
		for _, never := range []string{"by 192.0.2.74", "anecowuutp@example.org was forged", "eemioiyv@example.org was forged"} {
			if strings.Contains(body, never) {
				t.Errorf("%s says %q of a random probe:\n%s", tmpl, never, r.Body)
			}
		}
		want := "192.0.2.74 asked about a random address 41s after keerheior@example.org was forged (2017-08-19 14:34:57 +0200 CEST)"
		if !strings.Contains(body, want) {
			t.Errorf("%s lacks %q:\n%s", tmpl, want, r.Body)
		}
	}
}

// The listing-evidence draft cannot know what the list's sensors saw: its
// subject says what our logs show, not what "the traffic was", and its
// quoted lines name the zone of their stamps, as the callback notice's do.
func TestListingEvidenceClaimsOnlyOurLogs(t *testing.T) {
	d := sampleData(t)
	d.LogZone = "UTC"
	r, err := Default().Render(ListingEvidence, d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Subject, "the traffic was") || !strings.Contains(r.Subject, "our logs show") {
		t.Errorf("subject %q claims more than our logs show", r.Subject)
	}
	body := strings.Join(strings.Fields(r.Body), " ")
	for _, want := range []string{"A list sees connections from the listed address", "we ask what you observed",
		"time stamps in them that carry no zone of their own are in UTC"} {
		if !strings.Contains(body, want) {
			t.Errorf("listing evidence lacks %q:\n%s", want, r.Body)
		}
	}
}

// The same spamdb entry in every hourly dump is quoted once, with where it
// recurs: a desk reading four identical lines takes them for a mistake.
// Lines repeated in one file are counted; nothing is dropped silently.
func TestExcerptQuotesARepeatedLineOnce(t *testing.T) {
	grey := "GREY|192.0.2.65|mx18-12.smtp.filter.example|<>|<mx42@example.com>|1795179006|1795180506|1795193406|1|0"
	lines := []evidence.Line{
		{File: "/var/log/spamd", Line: 9, Raw: "Nov 20 12:50:06 gw spamd[26915]: (GREY) 192.0.2.65: <> -> <mx42@example.com>"},
		{File: "/var/db/spamdb-20261120T1300Z.dump", Line: 3, Raw: grey},
		{File: "/var/db/spamdb-20261120T1400Z.dump", Line: 3, Raw: grey},
		{File: "/var/db/spamdb-20261120T1500Z.dump", Line: 4, Raw: grey},
		{File: "/var/log/maillog", Line: 7, Raw: "x"},
		{File: "/var/log/maillog", Line: 8, Raw: "x"},
	}
	want := "    " + lines[0].Raw + "\n    " + grey +
		"\n    [the same line again in spamdb-20261120T1400Z.dump and spamdb-20261120T1500Z.dump]" +
		"\n    x\n    [the same line 1 more time]"
	if got := excerpt(0, lines); got != want {
		t.Errorf("excerpt:\n%s\nwant:\n%s", got, want)
	}
	if got := excerpt(2, lines); !strings.HasSuffix(got, "[2 more lines not shown]") {
		t.Errorf("capped excerpt:\n%s", got)
	}
}

// A busy prober's probes are a sample (the first and last five): the
// notice says how many it counted but does not list, so "Probes: 25"
// next to ten rows is not read as a miscount; likewise a cut address list.
func TestSampledProberSaysWhatIsNotListed(t *testing.T) {
	d := sampleData(t)
	p := d.Probers[0]
	base := p.Events[0]
	p.Events = nil
	for i := range 10 {
		e := base
		e.Time = base.Time.Add(time.Duration(i) * time.Hour)
		p.Events = append(p.Events, e)
	}
	p.Probes, p.Omitted, p.AddressesTruncated = 25, 15, true
	d.Probers = []evidence.Prober{p}
	for tmpl, want := range map[string][]string{
		CallbackNotice:  {"Probes: 25,", "[15 more probes between the first and the last ones above, counted but not listed]", "[and more, not listed]"},
		ListingEvidence: {"25 probes, first", "(and more)"},
	} {
		r, err := Default().Render(tmpl, d)
		if err != nil {
			t.Fatal(err)
		}
		body := strings.Join(strings.Fields(r.Body), " ")
		for _, w := range want {
			if !strings.Contains(body, strings.Join(strings.Fields(w), " ")) {
				t.Errorf("%s lacks %q:\n%s", tmpl, w, r.Body)
			}
		}
	}
}
