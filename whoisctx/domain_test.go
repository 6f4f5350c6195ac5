package whoisctx

import (
	"net/netip"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// The registrar's abuse address from RDAP (microsoft.click: the registry's
// answer nests it under the registrar entity) and from WHOIS (google.com:
// MarkMonitor's answer), beside abuse.net's directory entry.
func TestLookupDomainRegistrar(t *testing.T) {
	reg := startRegistry(t)
	for mode, domain := range map[string]string{"rdap": whoistest.RegistrarDomain, "whois": whoistest.RegistrarWhoisDomain} {
		if err := reg.DNS.AbuseNet(domain, "postmaster@"+domain); err != nil {
			t.Fatal(err)
		}
		t.Run(mode, func(t *testing.T) {
			cfg := testConfig(reg)
			cfg.SkipRDAP = mode == "whois"
			res := lookup(t, newFinder(t, cfg), "mail."+domain)
			if res.Domain != domain {
				t.Errorf("domain = %q", res.Domain)
			}
			var registrar, abuseNet bool
			for _, c := range res.Contacts {
				registrar = registrar || (c.Role == RoleRegistrar && c.Address == whoistest.RegistrarAbuse)
				abuseNet = abuseNet || (c.Source == SourceAbuseNet && c.Role == RoleDomain)
				if c.Address == "DATA REDACTED" || c.Source == SourceRFC2142 {
					t.Errorf("unexpected contact %+v", c)
				}
			}
			if !registrar || !abuseNet {
				t.Errorf("contacts %v: want the registrar's abuse address and abuse.net", addresses(res.Contacts))
			}
			// The domain contact (abuse.net) ranks before the registrar.
			if res.Contacts[0].Role != RoleDomain {
				t.Errorf("first contact %+v, want the domain's", res.Contacts[0])
			}
		})
	}
}

func TestLookupDomainGuessIsLastResort(t *testing.T) {
	reg := startRegistry(t)
	res := lookup(t, newFinder(t, testConfig(reg)), "unknown-sender.net")
	if len(res.Contacts) != 1 || res.Contacts[0].Source != SourceRFC2142 || !res.Contacts[0].NeedsReview ||
		res.Contacts[0].Address != "abuse@unknown-sender.net" {
		t.Errorf("contacts = %+v, want only the labelled RFC 2142 guess", res.Contacts)
	}
}

// Only a forward-confirmed reverse name leads to domain contacts.
func TestLookupReverseNameConfirmed(t *testing.T) {
	reg := startRegistry(t)
	confirmed := netip.MustParseAddr("62.239.237.20")
	unconfirmed := netip.MustParseAddr("62.239.237.21")
	if err := reg.DNS.Host(confirmed, "mx1."+whoistest.RegistrarDomain, true); err != nil {
		t.Fatal(err)
	}
	if err := reg.DNS.Host(unconfirmed, "mx2.forged-bank.com", false); err != nil {
		t.Fatal(err)
	}
	f := newFinder(t, testConfig(reg))
	res := lookup(t, f, confirmed.String())
	if res.ReverseName != "mx1."+whoistest.RegistrarDomain || res.Domain != whoistest.RegistrarDomain {
		t.Errorf("reverse %q domain %q", res.ReverseName, res.Domain)
	}
	if res.Contacts[0].Role != RoleNetwork {
		t.Errorf("first contact %+v: the network contact must rank first", res.Contacts[0])
	}
	if !hasContactRole(res.Contacts, RoleRegistrar) {
		t.Errorf("contacts %v lack the registrar", addresses(res.Contacts))
	}
	res = lookup(t, f, unconfirmed.String())
	if res.ReverseName != "" || res.Domain != "" || hasContactRole(res.Contacts, RoleDomain) {
		t.Errorf("unconfirmed PTR used: reverse %q domain %q contacts %v", res.ReverseName, res.Domain, addresses(res.Contacts))
	}
}

// abuse.net's "(default, no info)" answer is its own guess, not a
// directory entry: it is labelled and needs review.
func TestAbuseNetDefaultIsAGuess(t *testing.T) {
	reg := startRegistry(t)
	if err := reg.DNS.AbuseNet("quiet-sender.net", "abuse@quiet-sender.net (default, no info)"); err != nil {
		t.Fatal(err)
	}
	res := lookup(t, newFinder(t, testConfig(reg)), "quiet-sender.net")
	if len(res.Contacts) != 1 {
		t.Fatalf("contacts = %+v", res.Contacts)
	}
	c := res.Contacts[0]
	if c.Source != SourceAbuseNet || !c.NeedsReview || c.Confidence > confGuess {
		t.Errorf("contact = %+v, want abuse.net's default labelled as a guess", c)
	}
}
