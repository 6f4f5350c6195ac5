package investigate

import (
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/bounce"
)

func blocklisted(ip, list string, dns *bounce.DNSList, at time.Time) bounce.Failure {
	return bounce.Failure{
		File: "b.eml", Recipient: "a@example.net", RemoteMTA: "mx.example.net", Time: &at, TimeSource: "arrival-date",
		Diagnostic: "554 5.7.1 Client host [" + ip + "] blocked using " + list,
		Rejection:  bounce.Rejection{Blocklisted: true, List: list, Kind: bounce.KindDNSBL, ListedIP: ip, DNSList: dns},
	}
}

// A bounce naming a list the DNS check also found joins that listing; one
// naming a list DNS cannot see is added; one about another IP is left
// out; a dead list is flagged.
func TestBounceListings(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	c := &Case{Subject: "192.0.2.1", Listings: []Listing{{Target: "192.0.2.1", List: "spamcop", Zone: "bl.spamcop.net", Codes: []string{"127.0.0.2"}}}}
	var inv Investigator
	inv.bounceListings(c, []bounce.Failure{
		blocklisted("192.0.2.1", "spamcop", &bounce.DNSList{Name: "spamcop", Zone: "bl.spamcop.net", Status: bounce.ListActive}, at),
		blocklisted("192.0.2.1", "spamcop", &bounce.DNSList{Name: "spamcop", Zone: "bl.spamcop.net", Status: bounce.ListActive}, at.Add(-time.Hour)),
		blocklisted("192.0.2.1", "sorbs", &bounce.DNSList{Name: "sorbs", Zone: "sorbs.net", Status: bounce.ListDead, Dead: "2024-06-05", DeadReason: "decommissioned"}, at),
		blocklisted("198.51.100.1", "spamrl", nil, at),
		{File: "ok.eml", Diagnostic: "550 user unknown"},
	})
	if len(c.Listings) != 2 {
		t.Fatalf("listings %+v", c.Listings)
	}
	sc := c.Listings[0]
	if sc.Bounce == nil || sc.SinceSource != SinceBounce || !sc.Since.Equal(at.Add(-time.Hour)) || len(sc.Codes) != 1 {
		t.Errorf("the DNS listing should gain the bounce and its earliest time: %+v", sc)
	}
	so := c.Listings[1]
	if so.List != "sorbs" || so.Zone != "sorbs.net" || so.Bounce.DNSStatus != bounce.ListDead || so.Codes == nil {
		t.Errorf("bounce-only listing %+v", so)
	}
	joined := strings.Join(c.Warnings, "\n")
	if !strings.Contains(joined, "198.51.100.1 on spamrl, not the subject") || !strings.Contains(joined, "dead since 2024-06-05") {
		t.Errorf("warnings %q", c.Warnings)
	}
	facts := listingFacts(c.Listings)
	if facts[0].Source != "bounce" || !strings.Contains(facts[0].Text, "in effect by then") || facts[1].Source != "bounce" {
		t.Errorf("facts %+v", facts)
	}
}

// A domain list's rejection lists an own domain, or is left out.
func TestBounceListingDomains(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	dbl := &bounce.DNSList{Name: "spamhaus-dbl", Zone: "dbl.spamhaus.org", Status: bounce.ListActive}
	own := blocklisted("", "spamhaus", dbl, at)
	own.ListedDomain = "example.org"
	other := blocklisted("", "spamhaus", dbl, at)
	other.ListedDomain = "spam.example.com"
	c := &Case{Subject: "192.0.2.1", Domains: []string{"example.org"}}
	var inv Investigator
	inv.bounceListings(c, []bounce.Failure{own, other})
	if len(c.Listings) != 1 || c.Listings[0].Target != "example.org" || c.Listings[0].List != "spamhaus-dbl" {
		t.Errorf("listings %+v", c.Listings)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "spam.example.com on spamhaus") {
		t.Errorf("warnings %q", c.Warnings)
	}
}
