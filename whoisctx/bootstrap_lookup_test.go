package whoisctx

import (
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

func hostOf(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// bootstrapFinder is a finder with no override servers: the embedded
// bootstrap chooses, HTTP goes to reg's RDAP fake through rh, WHOIS to
// reg's WHOIS fake (recording the host:port chosen), and no DNS source
// answers, so Team Cymru cannot name the registry.
func bootstrapFinder(t *testing.T, reg *whoistest.Registry, rh *whoistest.RDAPHosts, now time.Time, whoisChosen *[]string) *Finder {
	t.Helper()
	cfg := Config{SkipDNS: true, Timeout: 5 * time.Second, QueryTimeout: 2 * time.Second, MinInterval: -1}
	f, err := New(cfg, WithClock(func() time.Time { return now }), WithHTTPClient(&http.Client{Transport: rh}))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	f.whoisAddr = func(hp string) string {
		mu.Lock()
		defer mu.Unlock()
		*whoisChosen = append(*whoisChosen, hp)
		return reg.WHOIS.Addr()
	}
	return f
}

// An address in each RIR's space goes to that RIR's RDAP server, as the
// embedded IANA files say, and the answer warns that they are old.
func TestLookupPicksRDAPServerFromEmbeddedBootstrap(t *testing.T) {
	reg := startRegistry(t)
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	for addr, want := range map[string]string{
		"62.239.237.10":        "https://rdap.db.ripe.net/ip/62.239.237.10",
		"2a01:4f8:c17:1a2b::2": "https://rdap.db.ripe.net/ip/2a01:4f8:c17:1a2b::2",
		"174.0.36.9":           "https://rdap.arin.net/registry/ip/174.0.36.9",
		"171.0.1.2":            "https://rdap.apnic.net/ip/171.0.1.2",
		"200.3.13.4":           "https://rdap.lacnic.net/rdap/ip/200.3.13.4",
		"41.203.65.7":          "https://rdap.afrinic.net/rdap/ip/41.203.65.7",
	} {
		t.Run(addr, func(t *testing.T) {
			rh := whoistest.NewRDAPHosts(reg.RDAP)
			var chosen []string
			res := lookup(t, bootstrapFinder(t, reg, rh, now, &chosen), addr)
			if got := rh.Seen(); len(got) == 0 || hostOf(t, got[0]) != want {
				t.Fatalf("RDAP asked %v, want %s first", got, want)
			}
			if !hasWarning(res, "dates from 2024-11-20") {
				t.Errorf("warnings %q lack the bootstrap's age", res.Warnings)
			}
		})
	}
}

// .uk is in IANA's dns.json; .de and .jp are not, so their domains go to
// the registries' WHOIS servers and the answer says why RDAP was skipped.
func TestLookupDomainServersFromEmbeddedBootstrap(t *testing.T) {
	reg := startRegistry(t)
	now := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ domain, rdap, whois string }{
		{"example.co.uk", "https://rdap.nominet.uk/uk/domain/example.co.uk", ""},
		{"example.de", "", "whois.denic.de:43"},
		{"example.jp", "", "whois.jprs.jp:43"},
		{whoistest.RegistrarWhoisDomain, "https://rdap.verisign.com/com/v1/domain/" + whoistest.RegistrarWhoisDomain, ""},
	} {
		t.Run(tc.domain, func(t *testing.T) {
			rh := whoistest.NewRDAPHosts(reg.RDAP)
			var chosen []string
			f := bootstrapFinder(t, reg, rh, now, &chosen)
			f.cfg.SkipWhois = tc.whois == ""
			res := lookup(t, f, tc.domain)
			got := rh.Seen()
			if tc.rdap != "" && (len(got) == 0 || hostOf(t, got[0]) != tc.rdap) {
				t.Errorf("RDAP asked %v, want %s", got, tc.rdap)
			}
			if tc.rdap == "" {
				if len(got) != 0 {
					t.Errorf("RDAP asked %v for a TLD IANA does not list", got)
				}
				if !hasWarning(res, "no RDAP server known for ."+tld(tc.domain)+" in the IANA bootstrap (dns.json of 2024-11-20)") {
					t.Errorf("warnings %q do not say why RDAP was skipped", res.Warnings)
				}
				if len(chosen) == 0 || chosen[0] != tc.whois {
					t.Errorf("WHOIS asked %v, want %s", chosen, tc.whois)
				}
			}
		})
	}
}

// The age warning follows the injected clock: none while the embedded
// data is less than six months old.
func TestBootstrapAgeWarning(t *testing.T) {
	reg := startRegistry(t)
	for _, tc := range []struct {
		now  time.Time
		warn bool
	}{
		{time.Date(2025, 5, 19, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2025, 5, 21, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), true},
	} {
		rh := whoistest.NewRDAPHosts(reg.RDAP)
		var chosen []string
		res := lookup(t, bootstrapFinder(t, reg, rh, tc.now, &chosen), "62.239.237.10")
		if got := hasWarning(res, "ipv4.json (embedded copy) dates from 2024-11-20"); got != tc.warn {
			t.Errorf("at %s: age warning %v, want %v; warnings %q", tc.now.Format(time.DateOnly), got, tc.warn, res.Warnings)
		}
	}
	// With an override server the bootstrap chose nothing: no warning.
	cfg := testConfig(reg)
	cfg.SkipDomain = true
	res := lookup(t, newFinder(t, cfg, WithClock(func() time.Time { return time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC) })), "62.239.237.10")
	if hasWarning(res, "dates from") {
		t.Errorf("override lookup warns about the bootstrap: %q", res.Warnings)
	}
}

func hostPortOf(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := net.SplitHostPort(u.Host); err != nil {
		t.Fatal(err)
	}
	return u.Host
}
