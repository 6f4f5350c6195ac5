package investigate

import (
	"context"
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// The seed article's story, in the documentation ranges: spam forging
// addresses in example.com, Exim random callouts from a dozen hosts, and a
// listing whose TXT calls the MX a source of dictionary attacks.
var (
	t0     = time.Date(2026, 11, 20, 12, 49, 25, 0, time.UTC)
	listed = t0.Add(3 * time.Hour)
	now    = t0.Add(26 * time.Hour)
)

type fixedChecker []dnsbl.Result

func (f fixedChecker) Check(context.Context, []string) (*dnsbl.Report, error) {
	return &dnsbl.Report{Results: f, Health: []dnsbl.Health{{List: "world", Zone: "dead.rbl.test", Status: dnsbl.Unhealthy, Reason: "lists 127.0.0.1"}}}, nil
}

type fixedHistory map[string]time.Time

func (h fixedHistory) ListingStart(_ context.Context, target, list string) (time.Time, bool, error) {
	t, ok := h[target+"|"+list]
	return t, ok, nil
}

// LastClean: the story's watch saw the MX clean six hours before each
// listing it recorded.
func (h fixedHistory) LastClean(_ context.Context, target, list string, before time.Time) (time.Time, bool, error) {
	if _, ok := h[target+"|"+list]; !ok {
		return time.Time{}, false, nil
	}
	return before.Add(-6 * time.Hour), true, nil
}

// firstSeenHistory knows when a listing was first seen, and no clean run
// before it.
type firstSeenHistory map[string]time.Time

func (h firstSeenHistory) ListingStart(_ context.Context, target, list string) (time.Time, bool, error) {
	t, ok := h[target+"|"+list]
	return t, ok, nil
}

type fixedScanner struct {
	rep          evidence.Report
	since, until time.Time
}

func (s *fixedScanner) Scan(_ context.Context, since, until time.Time) (evidence.Report, error) {
	s.since, s.until = since, until
	return s.rep, nil
}

type fixedContacts map[string][]whoisctx.Contact

func (f fixedContacts) Lookup(_ context.Context, ip string) (*whoisctx.Result, error) {
	res := &whoisctx.Result{Query: ip, Kind: whoisctx.KindIP, Contacts: f[ip]}
	if res.Contacts == nil {
		res.Contacts = []whoisctx.Contact{}
		res.Warnings = []string{"registry has no abuse contact"}
	}
	return res, nil
}

func storyResults() []dnsbl.Result {
	return []dnsbl.Result{
		{Target: "203.0.113.25", Query: "203.0.113.25", List: "callbackrl", Zone: "dha.rbl.test", Verdict: dnsbl.Listed,
			Codes: []string{"127.0.0.2"}, TXT: []string{"The sending IP (203.0.113.25) is listed on https://rbl.test as a source of dictionary attacks."},
			Delist: "https://rbl.test/removal", Checked: now},
		{Target: "203.0.113.25", List: "healthy", Zone: "ok.rbl.test", Verdict: dnsbl.NotListed, Checked: now},
		{Target: "203.0.113.25", List: "world", Zone: "dead.rbl.test", Verdict: dnsbl.Unknown, Reason: "list failed its health check: lists 127.0.0.1", Checked: now},
		{Target: "203.0.113.25", List: "refuser", Zone: "zen.rbl.test", Verdict: dnsbl.Refused, Codes: []string{"127.255.255.254"}, Reason: "query via a public resolver", Checked: now},
	}
}

func storyReport(probers int) evidence.Report {
	rep := evidence.Report{Domains: []string{"example.com"},
		Stats: evidence.Stats{Lines: 420, Events: 300, Sessions: 80, Files: []evidence.FileStats{{File: "maillog", Format: "spamd", Lines: 420}}}}
	forged := []string{"keerheior@example.com", "anecowuutp@example.com", "pkgreewaa@example.com"}
	for i, a := range forged {
		at := t0.Add(time.Duration(i) * 7 * time.Minute)
		rep.Campaign.ForgedSenders = append(rep.Campaign.ForgedSenders, evidence.ForgedSender{
			Address: a, FirstSeen: at, LastSeen: at.Add(time.Hour), Count: 4 + i, Clients: []string{fmt.Sprintf("198.51.100.%d", 10+i)}})
	}
	for i := 0; i < probers; i++ {
		ip := fmt.Sprintf("192.0.2.%d", 100+i)
		helo := fmt.Sprintf("mx%d.prober%d.test", 40+i, i)
		at := t0.Add(41*time.Second + time.Duration(i)*9*time.Minute)
		epoch := at.Add(-2 * time.Second)
		skew := 2.0
		random := fmt.Sprintf("%s-%d-testing@example.com", helo, epoch.Unix())
		p := evidence.Prober{IP: ip, HeloNames: []string{helo}, Probes: 2, Kinds: []string{"exim-random"}, Confidence: 0.95,
			ProbedAddresses: []string{forged[i%3], random}, ProbedDomains: []string{"example.com"}, FirstSeen: at, LastSeen: at.Add(time.Hour)}
		for j := 0; j < 2; j++ {
			pt := at.Add(time.Duration(j) * time.Hour)
			p.Events = append(p.Events, evidence.Probe{Time: pt, IP: ip, Helo: helo, Recipients: []string{random, forged[i%3]},
				Kind: "exim-random", Reason: "Exim callout_random_local_part", Confidence: 0.95, Epoch: &epoch, SkewSec: &skew,
				Lines: []evidence.Line{{File: "maillog", Line: 10 + i*4 + j, Raw: fmt.Sprintf("Nov 20 12:49:%02d delilah spamd[26915]: (GREY) %s: <> -> <%s>", j, ip, random)}}})
		}
		rep.Probers = append(rep.Probers, p)
	}
	return rep
}

func storyContacts(probers int) fixedContacts {
	c := fixedContacts{}
	for i := 0; i < probers; i++ {
		c[fmt.Sprintf("192.0.2.%d", 100+i)] = []whoisctx.Contact{{Address: fmt.Sprintf("abuse@prober%d.test", i), Role: whoisctx.RoleNetwork,
			Source: "rdap", Server: "127.0.0.1", Confidence: 0.9}}
	}
	return c
}

func storyCase(probers int) (*Case, *fixedScanner) {
	sc := &fixedScanner{rep: storyReport(probers)}
	inv := &Investigator{
		Checker:  fixedChecker(storyResults()),
		History:  fixedHistory{"203.0.113.25|callbackrl": listed},
		Scanner:  sc,
		Contacts: storyContacts(probers - 1), // the last prober has no contact
		Now:      func() time.Time { return now },
	}
	c, err := inv.Run(context.Background(), Request{Subject: "203.0.113.25", Domains: []string{"example.com"}})
	if err != nil {
		panic(err)
	}
	return c, sc
}
