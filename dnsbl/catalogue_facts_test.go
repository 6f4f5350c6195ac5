package dnsbl

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// These tests pin the facts of the built-in catalogue that were checked
// against the operators' documentation (sources in catalogue.yaml and in
// the commit messages), so that a later edit cannot change them silently.

// catalogueList compiles a catalogue list, giving DQS lists a dummy key.
func catalogueList(t *testing.T, name string) *list {
	t.Helper()
	def, ok := DefaultCatalogue().Lookup(name)
	if !ok {
		t.Fatalf("catalogue has no %s", name)
	}
	if strings.Contains(def.Zone, KeyPlaceholder) {
		def.Key = "factkey"
	}
	return mustList(t, def)
}

// TestCatalogueZones pins each list's zone and kind.
func TestCatalogueZones(t *testing.T) {
	tests := []struct {
		name, zone string
		kind       Kind
	}{
		{"spamhaus-zen", "zen.spamhaus.org", KindBoth},
		{"spamhaus-sbl", "sbl.spamhaus.org", KindBoth},
		{"spamhaus-xbl", "xbl.spamhaus.org", KindBoth},
		{"spamhaus-pbl", "pbl.spamhaus.org", KindBoth},
		{"spamhaus-dbl", "dbl.spamhaus.org", KindDomain},
		{"spamhaus-zrd", "{key}.zrd.dq.spamhaus.net", KindDomain},
		{"spamhaus-authbl-dqs", "{key}.authbl.dq.spamhaus.net", KindBoth},
		{"spamhaus-zen-dqs", "{key}.zen.dq.spamhaus.net", KindBoth},
		{"spamhaus-dbl-dqs", "{key}.dbl.dq.spamhaus.net", KindDomain},
	}
	cat := DefaultCatalogue()
	for _, tt := range tests {
		l, ok := cat.Lookup(tt.name)
		if !ok {
			t.Errorf("catalogue has no %s", tt.name)
			continue
		}
		if l.Zone != tt.zone || l.Kind != tt.kind {
			t.Errorf("%s: zone %q kind %q, want %q %q", tt.name, l.Zone, l.Kind, tt.zone, tt.kind)
		}
	}
}

// TestCatalogueDQSOnly: lists served only through the Data Query Service
// need a key and are never queried by default.
func TestCatalogueDQSOnly(t *testing.T) {
	for _, name := range []string{"spamhaus-zrd", "spamhaus-authbl-dqs", "spamhaus-zen-dqs", "spamhaus-dbl-dqs"} {
		l, _ := DefaultCatalogue().Lookup(name)
		if !l.Disabled || !l.RequiresRegistration || l.KeyEnv == "" || !strings.Contains(l.Zone, KeyPlaceholder) {
			t.Errorf("%s: want a disabled DQS list with a key: %+v", name, l)
		}
	}
}

// TestCatalogueTestPoints pins the positive test points: "" is the RFC
// 5782 default (127.0.0.2 or TEST), "-" means no documented test entry.
func TestCatalogueTestPoints(t *testing.T) {
	tests := map[string]string{
		"spamhaus-zen":        "",
		"spamhaus-xbl":        "",
		"spamhaus-pbl":        "",
		"spamhaus-dbl":        "dbltest.com",
		"spamhaus-dbl-dqs":    "dbltest.com",
		"spamhaus-zrd":        "-",
		"spamhaus-authbl-dqs": "-",
	}
	cat := DefaultCatalogue()
	for name, want := range tests {
		l, _ := cat.Lookup(name)
		if l.TestListed != want {
			t.Errorf("%s: test_listed %q, want %q", name, l.TestListed, want)
		}
	}
}

// TestCatalogueCodes classifies documented codes as each list would answer
// them: the verdict and a word of the meaning.
func TestCatalogueCodes(t *testing.T) {
	tests := []struct {
		list, code string
		want       Verdict
		meaning    string
	}{
		{"spamhaus-zen", "127.0.0.2", Listed, "SBL"},
		{"spamhaus-zen", "127.0.0.3", Listed, "CSS"},
		{"spamhaus-zen", "127.0.0.4", Listed, "XBL"},
		{"spamhaus-zen", "127.0.0.9", Listed, "DROP"},
		{"spamhaus-zen", "127.0.0.10", Listed, "PBL (ISP"},
		{"spamhaus-zen", "127.0.0.11", Listed, "PBL (Spamhaus"},
		{"spamhaus-zen", "127.0.0.30", Listed, "Botnet Controller"},
		{"spamhaus-zen", "127.0.0.20", Listed, "not among the list's documented codes"}, // AuthBL is its own zone
		{"spamhaus-sbl", "127.0.0.30", Listed, "BCL"},
		{"spamhaus-dbl", "127.0.1.2", Listed, "low-reputation"},
		{"spamhaus-dbl", "127.0.1.103", Listed, "redirector"},
		{"spamhaus-dbl", "127.0.1.106", Listed, "C&C"},
		{"spamhaus-dbl", "127.0.1.255", Refused, "IP queries"},
		{"spamhaus-zrd", "127.0.2.2", Listed, "ZRD"},
		{"spamhaus-zrd", "127.0.2.24", Listed, "ZRD"},
		{"spamhaus-authbl-dqs", "127.0.0.20", Listed, "AuthBL"},
		{"spamhaus-dbl-dqs", "127.255.255.254", Refused, "public or open resolver"},
	}
	for _, tt := range tests {
		l := catalogueList(t, tt.list)
		q := "2.0.0.127." + l.zone
		a := classify(l, answerMsg(q, dns.RcodeSuccess, tt.code), q, true)
		if a.verdict != tt.want || !strings.Contains(a.reason, tt.meaning) {
			t.Errorf("%s %s: %s %q, want %s (%s)", tt.list, tt.code, a.verdict, a.reason, tt.want, tt.meaning)
		}
	}
}

// TestCatalogueURICodes: SURBL and URIBL answers are bitmasks on the last
// octet; 127.0.0.1 is their refusal, never a listing.
func TestCatalogueURICodes(t *testing.T) {
	tests := []struct {
		list, code string
		want       Verdict
		meanings   []string
	}{
		{"surbl", "127.0.0.8", Listed, []string{"PH"}},
		{"surbl", "127.0.0.80", Listed, []string{"MW", "ABUSE"}},
		{"surbl", "127.0.0.254", Listed, []string{"PH", "MW", "ABUSE", "CR"}},
		{"surbl", "127.0.0.1", Refused, []string{"blocks this querier"}},
		{"uribl", "127.0.0.14", Listed, []string{"black", "grey", "red"}},
		{"uribl", "127.0.0.2", Listed, []string{"black"}},
		{"uribl", "127.0.0.1", Refused, []string{"blocks this querier"}},
	}
	for _, tt := range tests {
		l := catalogueList(t, tt.list)
		q := "example.com." + l.zone
		a := classify(l, answerMsg(q, dns.RcodeSuccess, tt.code), q, true)
		if a.verdict != tt.want {
			t.Errorf("%s %s: %s %q, want %s", tt.list, tt.code, a.verdict, a.reason, tt.want)
		}
		for _, m := range tt.meanings {
			if !strings.Contains(a.reason, m) {
				t.Errorf("%s %s: reason %q lacks %q", tt.list, tt.code, a.reason, m)
			}
		}
	}
	for name, want := range map[string]string{"surbl": "test.surbl.org", "uribl": "test.uribl.com"} {
		if l, _ := DefaultCatalogue().Lookup(name); l.TestListed != want {
			t.Errorf("%s: test_listed %q, want %q", name, l.TestListed, want)
		}
	}
}

// TestCatalogueIPListCodes: documented codes of the other IP lists,
// HostKarma's allow answers and DNSWL's refusal included.
func TestCatalogueIPListCodes(t *testing.T) {
	tests := []struct {
		list, code string
		want       Verdict
		meaning    string
	}{
		{"mailspike", "127.0.0.2", Listed, "spam wave"},
		{"mailspike", "127.0.0.10", Listed, "L5"},
		{"mailspike", "127.0.0.12", Listed, "L3"},
		{"barracuda", "127.0.0.2", Listed, "BRBL"},
		{"hostkarma", "127.0.0.2", Listed, "black"},
		{"hostkarma", "127.0.0.4", Listed, "brown"},
		{"hostkarma", "127.0.0.1", NotListed, "does not match rule"},
		{"hostkarma", "127.0.0.3", NotListed, "does not match rule"},
		{"hostkarma", "127.0.0.5", NotListed, "does not match rule"},
		{"dnswl", "127.0.10.0", Listed, "allowlisted"},
		{"dnswl", "127.0.5.3", Listed, "trust"},
		{"dnswl", "127.0.20.1", Listed, "self-service"},
		{"dnswl", "127.0.0.255", Refused, "refuses this querier"},
		{"senderscore", "127.255.255.255", Refused, "register"},
	}
	for _, tt := range tests {
		l := catalogueList(t, tt.list)
		q := "2.0.0.192." + l.zone
		a := classify(l, answerMsg(q, dns.RcodeSuccess, tt.code), q, true)
		if a.verdict != tt.want || !strings.Contains(a.reason, tt.meaning) {
			t.Errorf("%s %s: %s %q, want %s (%s)", tt.list, tt.code, a.verdict, a.reason, tt.want, tt.meaning)
		}
	}
	if l, _ := DefaultCatalogue().Lookup("hostkarma"); !l.ListsNegativeTestPoint {
		t.Errorf("hostkarma lists 127.0.0.1 on purpose; its negative test point must be skipped")
	}
}

// TestCatalogueDeadDates pins the dates the dead lists died, as their
// sources give them (see catalogue.yaml).
func TestCatalogueDeadDates(t *testing.T) {
	want := map[string]string{
		"ahbl.org":                "2015-01-01",
		"spamcannibal.org":        "2018-05",
		"njabl.org":               "2013-03-01",
		"bad.psky.me":             "2019-04",
		"emailbasura.org":         "2019-10",
		"dynip.rothen.com":        "2020-09",
		"ips.backscatterer.org":   "2023-05",
		"spam.dnsbl.anonmails.de": "2024-11-12",
		"dnsbl.sorbs.net":         "2024-06-05",
		"ix.dnsbl.manitu.net":     "2025-01-16",
		"dnsbl.madavi.de":         "2025-03",
		"sbl.spamdown.org":        "2026-03",
	}
	cat := DefaultCatalogue()
	for zone, date := range want {
		l, ok := cat.Dead(zone)
		if !ok || l.Dead != date {
			t.Errorf("%s: dead %q (found %v), want %q", zone, l.Dead, ok, date)
		}
	}
}
