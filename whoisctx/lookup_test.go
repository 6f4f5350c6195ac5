package whoisctx

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/openrdap/rdap"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// Each registry shape, through RDAP first and through WHOIS alone.
func TestLookupRegistryShapes(t *testing.T) {
	reg := startRegistry(t)
	for _, mode := range []string{"rdap", "whois"} {
		for _, n := range whoistest.Networks {
			t.Run(mode+"/"+n.Name, func(t *testing.T) {
				cfg := testConfig(reg)
				cfg.SkipRDAP = mode == "whois"
				res := lookup(t, newFinder(t, cfg), n.Sample.String())
				if n.Best == "" {
					if len(networkContacts(res)) != 0 {
						t.Errorf("contacts = %v, want none", addresses(res.Contacts))
					}
					return
				}
				if len(res.Contacts) == 0 || res.Contacts[0].Address != n.Best {
					t.Fatalf("contacts = %v, want %s first; warnings %q", addresses(res.Contacts), n.Best, res.Warnings)
				}
				if res.Registry != n.Registry {
					t.Errorf("registry = %q, want %q", res.Registry, n.Registry)
				}
				c := res.Contacts[0]
				if c.Raw == "" || c.Server == "" || c.Source == "" || c.Confidence <= 0 {
					t.Errorf("contact lacks provenance: %+v", c)
				}
			})
		}
	}
}

func TestLookupAFRINICRemarksNeedReview(t *testing.T) {
	reg := startRegistry(t)
	res := lookup(t, newFinder(t, testConfig(reg)), whoistest.NetworkByName("afrinic").Sample.String())
	c, ok := res.Best()
	if !ok || !c.NeedsReview || c.Field != "remarks" {
		t.Fatalf("best = %+v, want a remarks address marked needs review", c)
	}
	if !hasWarning(res, "no abuse contact") {
		t.Errorf("warnings %q lack the registry's 'no abuse contact'", res.Warnings)
	}
}

func TestLookupAPNICStub(t *testing.T) {
	reg := startRegistry(t)
	cfg := testConfig(reg)
	cfg.SkipRDAP = true
	res := lookup(t, newFinder(t, cfg), whoistest.NetworkByName("apnic-stub").Sample.String())
	for _, c := range res.Contacts {
		if c.Address == "no-email@apnic.net" {
			t.Fatalf("placeholder kept: %+v", c)
		}
	}
	if !hasWarning(res, "stub") || !hasWarning(res, "no-email@apnic.net") {
		t.Errorf("warnings %q should name the stub and the dropped placeholder", res.Warnings)
	}
}

// ARIN's answer for a Shaw address: the allocation's OrgAbuseEmail is the
// contact, the technical addresses are not offered beside it, and the
// ReferralServer (Shaw's rwhois) is recorded but not followed.
func TestLookupARINOrgAbuse(t *testing.T) {
	reg := startRegistry(t)
	cfg := testConfig(reg)
	cfg.SkipRDAP = true
	res := lookup(t, newFinder(t, cfg), "174.0.36.9")
	got := addresses(res.Contacts)
	if want := []string{"internet.abuse@sjrb.ca"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("contacts = %v, want %v", got, want)
	}
	if res.Prefix != "174.0.0.0/13" {
		t.Errorf("prefix = %s, want the allocation 174.0.0.0/13", res.Prefix)
	}
	if q := reg.WHOIS.Queries(); len(q) != 1 || q[0] != "n + 174.0.36.9" {
		t.Errorf("queries = %q, want one ARIN-style query and no referral followed", q)
	}
}

// StarHub's APNIC answer: the registry's abuse-c answer first, confirmed by
// Abusix; the LIR's organisation e-mail and the NOC's are not offered.
func TestLookupAPNIC(t *testing.T) {
	reg := startRegistry(t)
	res := lookup(t, newFinder(t, testConfig(reg)), "171.0.1.2")
	got := addresses(res.Contacts)
	if len(got) == 0 || got[0] != "abuse@starhub.com" {
		t.Fatalf("contacts = %v, want abuse@starhub.com first", got)
	}
	if s := strings.Join(got, ","); strings.Contains(s, "apnic-scv@") || strings.Contains(s, "ipnoc@") {
		t.Errorf("non-abuse addresses offered: %v", got)
	}
	if !strings.Contains(res.Contacts[0].Note, "confirmed by abusix") {
		t.Errorf("note = %q, want the Abusix cross-check", res.Contacts[0].Note)
	}
}

// RDAP vCard e-mails are taken in "pref" order (RFC 6350 §5.3), not in the
// order they are listed. (A constructed entity: no real answer with pref
// parameters was found; APNIC's abuse entities carry them.)
func TestRDAPEmailPrefOrder(t *testing.T) {
	body := `{"objectClassName":"ip network","startAddress":"192.0.2.0","endAddress":"192.0.2.255","entities":[
	 {"objectClassName":"entity","handle":"IRT-EXAMPLE","roles":["abuse"],"vcardArray":["vcard",[["version",{},"text","4.0"],
	  ["email",{"pref":"2"},"text","security@example.net"],["email",{},"text","helpdesk@apnic.net"],["email",{"pref":"1"},"text","abuse@example.net"]]]}]}`
	obj, err := rdap.NewDecoder([]byte(body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	ans := &networkAnswer{}
	(&Finder{}).applyIPNetwork(mustAddr("192.0.2.1"), obj.(*rdap.IPNetwork), RawAnswer{Server: "rdap.example"}, ans)
	if got := addresses(ans.Contacts); strings.Join(got, ",") != "abuse@example.net,security@example.net" {
		t.Errorf("contacts = %v, want pref 1 then pref 2, helpdesk@apnic.net dropped", got)
	}
}

// LACNIC and registro.br answer in Latin-1; the raw answer is kept as
// UTF-8. (The real registro.br fixture is plain ASCII, so the Latin-1
// bytes here are a constructed answer.)
func TestLookupLatin1Kept(t *testing.T) {
	reg := startRegistry(t)
	reg.WHOIS.Route("170.0.1.0/24", whoistest.Reply{Text: "owner:       N\xfacleo de Inf. e Coord. do Ponto BR\nresponsible: Seguran\xe7a\n"})
	cfg := testConfig(reg)
	cfg.SkipRDAP = true
	res := lookup(t, newFinder(t, cfg), "170.0.1.2")
	var raw string
	for _, r := range res.Raw {
		if r.Source == SourceWhois {
			raw = r.Text
		}
	}
	if !strings.Contains(raw, "Núcleo de Inf.") || !strings.Contains(raw, "Segurança") {
		t.Errorf("Latin-1 text not converted: %q", raw)
	}
}

func TestLookupSpecialAnsweredLocally(t *testing.T) {
	reg := startRegistry(t)
	f := newFinder(t, Config{DNSServers: []string{reg.DNS.Addr()}, MinInterval: -1})
	for _, q := range []string{"10.1.2.3", "192.0.2.7", "2001:db8::1", "127.0.0.1", "fe80::1", "100.64.1.1", "mail.example.org"} {
		res := lookup(t, f, q)
		if res.Local == "" || len(res.Contacts) != 0 {
			t.Errorf("%s: local=%q contacts=%v, want a local answer", q, res.Local, addresses(res.Contacts))
		}
	}
	if n := len(reg.WHOIS.Queries()) + len(reg.RDAP.Hits()) + len(reg.DNS.Queries()); n != 0 {
		t.Errorf("%d queries sent for special ranges, want 0", n)
	}
}

// The offline demo looks documentation addresses up against the fakes.
func TestLookupSpecialWithOverride(t *testing.T) {
	reg := startRegistry(t)
	cfg := testConfig(reg)
	cfg.LookupSpecial = true
	for _, d := range whoistest.DocNetworks {
		res := lookup(t, newFinder(t, cfg), d.Prefix.Addr().Next().String())
		if c, ok := res.Best(); !ok || c.Address != d.Best {
			t.Errorf("%s: best = %v, want %s (warnings %q)", d.Prefix, addresses(res.Contacts), d.Best, res.Warnings)
		}
	}
}

func TestLookupInvalid(t *testing.T) {
	f := newFinder(t, Config{SkipDNS: true})
	for _, q := range []string{"", "not a host", "1.2.3.4.5/", "exa_mple..com", "fe80::1%eth0"} {
		if _, err := f.Lookup(t.Context(), q); err == nil {
			t.Errorf("Lookup(%q): no error", q)
		}
	}
}

func hasWarning(res *Result, sub string) bool {
	for _, w := range res.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func TestLookupIPv6(t *testing.T) {
	reg := startRegistry(t)
	cfg := testConfig(reg)
	cfg.SkipDomain = true
	f := newFinder(t, cfg)
	res := lookup(t, f, "2a00:2381:ffff::1")
	// The registry's /64 is more specific than Team Cymru's routed /25.
	if res.Prefix != "2a00:2381:ffff::/64" || res.ASN != 2856 || res.Registry != "ripencc" {
		t.Errorf("prefix %s asn %d registry %s", res.Prefix, res.ASN, res.Registry)
	}
	if c, ok := res.Best(); !ok || c.Address != "protect@bt.com" || c.Field != "% Abuse contact for" {
		t.Errorf("best = %+v", c)
	}
	var sawOrigin6 bool
	for _, q := range reg.DNS.Queries() {
		sawOrigin6 = sawOrigin6 || strings.HasSuffix(q, ".origin6.asn.cymru.com TXT")
	}
	if !sawOrigin6 {
		t.Errorf("no origin6 query in %q", reg.DNS.Queries())
	}
	if !lookup(t, f, "2a00:2381:ffff::2").Cached {
		t.Error("second address in the /64 not served from the cache")
	}
}

func TestLookupCancelled(t *testing.T) {
	f := newFinder(t, Config{SkipDNS: true, SkipRDAP: true, SkipWhois: true})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := f.Lookup(ctx, "62.239.237.1"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
