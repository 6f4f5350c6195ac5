package whoisctx

import (
	"encoding/json"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// withObjectClass adds the objectClassName RIPE's 2015 RDAP answer lacks
// (RFC 9083 §4.7 requires it; without it the answer is not read as a
// network at all and WHOIS answers alone). Everything else is the real
// answer.
func withObjectClass(t *testing.T, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(whoistest.File(name)), &m); err != nil {
		t.Fatal(err)
	}
	m["objectClassName"] = "ip network"
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// RIPE's abuse entity BTCR3-RIPE lists three people's mailboxes and no
// pref: none is taken as the desk. WHOIS is asked as well, and the
// registry's "% Abuse contact for" answer (protect@bt.com, the role's
// abuse-mailbox) ranks first.
func TestLookupAmbiguousRDAPAbuseEntity(t *testing.T) {
	reg := startRegistry(t)
	n := whoistest.NetworkByName("ripe")
	reg.RDAP.Route(n.Prefix.String(), whoistest.RDAPReply{Body: withObjectClass(t, "rdap-ripe.json")})
	cfg := testConfig(reg)
	cfg.SkipDomain = true
	res := lookup(t, newFinder(t, cfg), n.Sample.String())
	got := addresses(res.Contacts)
	if len(got) < 4 || got[0] != "protect@bt.com" {
		t.Fatalf("contacts = %v, want protect@bt.com first, then the RDAP entity's addresses", got)
	}
	if len(reg.WHOIS.Queries()) != 1 {
		t.Errorf("WHOIS queries %q, want one: the RDAP answer was ambiguous", reg.WHOIS.Queries())
	}
	for _, c := range res.Contacts {
		if c.Source == SourceRDAP && (c.Confidence > confRDAPAmbiguous || c.Note == "") {
			t.Errorf("ambiguous RDAP contact %+v not marked down", c)
		}
	}
}

// The 2015 answer as RIPE sent it (no objectClassName) is not taken for a
// network: WHOIS answers, and the warning says why.
func TestLookupRDAPWithoutObjectClass(t *testing.T) {
	reg := startRegistry(t)
	cfg := testConfig(reg)
	cfg.SkipDomain = true
	res := lookup(t, newFinder(t, cfg), whoistest.NetworkByName("ripe").Sample.String())
	if c, ok := res.Best(); !ok || c.Address != "protect@bt.com" || c.Source != SourceWhois {
		t.Errorf("best = %+v", c)
	}
	if !hasWarning(res, "not an IP network") {
		t.Errorf("warnings %q", res.Warnings)
	}
}
