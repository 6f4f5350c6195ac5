package notify

import (
	"testing"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// notify mails the contact the whois output lists first: a network
// address seen only in remarks (needs review) loses to abuse.net's
// reviewed desk, in both.
func TestChooseFollowsWhoisRank(t *testing.T) {
	cs := []whoisctx.Contact{
		{Address: "noc@hoster.example", Role: whoisctx.RoleNetwork, Source: "whois", Field: "remarks", Confidence: 0.35, NeedsReview: true},
		{Address: "abuse@hoster.example", Role: whoisctx.RoleDomain, Source: "abuse.net", Confidence: 0.55},
	}
	ranked := whoisctx.Rank(cs)
	in := Input{
		Report:   evidence.Report{Probers: []evidence.Prober{{IP: "192.0.2.7"}}},
		Contacts: map[string][]whoisctx.Contact{"192.0.2.7": cs},
	}
	batches, _ := Group(in, Policy{})
	if len(batches) != 1 || batches[0].Contact == nil {
		t.Fatalf("batches %+v", batches)
	}
	if got, want := batches[0].Contact.Address, ranked[0].Address; got != want || want != "abuse@hoster.example" {
		t.Errorf("notify chose %s, whois ranks %s first", got, want)
	}
}
