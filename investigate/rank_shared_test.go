package investigate

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// The case lists a prober's contacts in whoisctx.Rank order, whatever
// order the finder returned them in.
func TestCaseContactsFollowWhoisRank(t *testing.T) {
	const ip = "192.0.2.100"
	cs := []whoisctx.Contact{
		{Address: "noc@hoster.example", Role: whoisctx.RoleNetwork, Source: "whois", Field: "remarks", Confidence: 0.35, NeedsReview: true},
		{Address: "abuse@hoster.example", Role: whoisctx.RoleDomain, Source: "abuse.net", Confidence: 0.55},
	}
	inv := &Investigator{
		Checker:  fixedChecker(storyResults()),
		History:  fixedHistory{"203.0.113.25|callbackrl": listed},
		Scanner:  &fixedScanner{rep: storyReport(1)},
		Contacts: fixedContacts{ip: cs},
		Now:      func() time.Time { return now },
	}
	c, err := inv.Run(context.Background(), Request{Subject: "203.0.113.25", Domains: []string{"example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Contacts) != 1 {
		t.Fatalf("contacts %+v", c.Contacts)
	}
	got := c.Contacts[0].Contacts
	want := whoisctx.Rank(cs)
	if !slices.EqualFunc(got, want, func(a, b whoisctx.Contact) bool { return a.Address == b.Address }) || got[0].Address != "abuse@hoster.example" {
		t.Errorf("case contacts %v, want whois order %v", got, want)
	}
}
