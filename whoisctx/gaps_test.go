package whoisctx

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// An address no registry is known for (outside the IANA bootstrap, Team
// Cymru silent) is incomplete, says so, and is not cached, even when
// Abusix has an address for it.
func TestLookupNoRegistryKnown(t *testing.T) {
	reg := startRegistry(t)
	reg.DNS.Abusix(netip.MustParsePrefix("3000::/16"), "abuse@unrouted.example.net")
	for _, tc := range []struct {
		q        string
		skipRDAP bool
	}{{"3000::1", false}, {"2001:0:4136:e378::1", false}, {"3000::1", true}} {
		q := tc.q
		t.Run(fmt.Sprintf("%s/skip_rdap=%v", q, tc.skipRDAP), func(t *testing.T) {
			rh := whoistest.NewRDAPHosts(reg.RDAP)
			cfg := Config{DNSServers: []string{reg.DNS.Addr()}, SkipDomain: true, SkipRDAP: tc.skipRDAP,
				Timeout: 5 * time.Second, QueryTimeout: 2 * time.Second, MinInterval: -1}
			cache := NewMemoryCache()
			f, err := New(cfg, WithClock(func() time.Time { return testNow }), WithHTTPClient(&http.Client{Transport: rh}), WithCache(cache))
			if err != nil {
				t.Fatal(err)
			}
			f.whoisAddr = func(hp string) string { t.Errorf("WHOIS %s asked", hp); return reg.WHOIS.Addr() }
			for i := 0; i < 2; i++ {
				res := lookup(t, f, q)
				if !res.Incomplete || res.Cached {
					t.Errorf("lookup %d: incomplete %v cached %v, want incomplete and not cached", i, res.Incomplete, res.Cached)
				}
				if !hasWarning(res, "no registry known for "+q) || hasWarning(res, "no abuse contact registered") {
					t.Errorf("lookup %d: warnings %q", i, res.Warnings)
				}
			}
			if got := rh.Seen(); len(got) != 0 {
				t.Errorf("RDAP asked %v", got)
			}
		})
	}
}

// redirectFinder sends rdap.arin.net to arin and rdap.lacnic.net to
// lacnic (two loopback fakes) and chooses servers from the bootstrap.
func redirectFinder(t *testing.T, arin, lacnic *whoistest.RDAP) (*Finder, *whoistest.RDAPHosts) {
	t.Helper()
	rh := whoistest.NewRDAPHosts(arin)
	rh.ByHost = map[string]string{"rdap.arin.net": hostPortOf(t, arin.URL()), "rdap.lacnic.net": hostPortOf(t, lacnic.URL())}
	cfg := Config{SkipDNS: true, SkipWhois: true, Timeout: 5 * time.Second, QueryTimeout: 2 * time.Second, MinInterval: -1}
	f, err := New(cfg, WithClock(func() time.Time { return testNow }), WithHTTPClient(&http.Client{Transport: rh}))
	if err != nil {
		t.Fatal(err)
	}
	return f, rh
}

func startRDAP(t *testing.T) *whoistest.RDAP {
	t.Helper()
	r, err := whoistest.StartRDAP()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// RDAP redirects are followed only to https and only to RDAP servers the
// IANA bootstrap names, each hop under its host's limiter.
func TestRDAPRedirects(t *testing.T) {
	const q = "174.0.36.9"
	p := "174.0.36.0/24"
	lacnicBody := whoistest.File("rdap-lacnic.json")
	for _, tc := range []struct {
		name, location, warn string
		follow               bool
	}{
		{"bootstrap host", "https://rdap.lacnic.net/rdap/ip/" + q, "", true},
		{"relative", "/registry/ip/" + q + "?again", "more than 3 redirects", false},
		{"plain http", "http://rdap.lacnic.net/rdap/ip/" + q, "not https", false},
		{"stranger's host", "https://rdap.evil.example/ip/" + q, "not an RDAP server in the IANA bootstrap", false},
		{"other port", "https://rdap.lacnic.net:8443/rdap/ip/" + q, "port other than 443", false},
		{"credentials", "https://u:p@rdap.lacnic.net/rdap/ip/" + q, "credentials", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			arin, lacnic := startRDAP(t), startRDAP(t)
			arin.Route(p, whoistest.RDAPReply{Status: http.StatusMovedPermanently, Location: tc.location})
			lacnic.Route(p, whoistest.RDAPReply{Body: lacnicBody})
			f, rh := redirectFinder(t, arin, lacnic)
			ans := &networkAnswer{}
			f.rdapIP(t.Context(), netip.MustParseAddr(q), ans)
			got := rh.Seen()
			if tc.follow {
				if len(got) != 2 || hostOf(t, got[1]) != "https://rdap.lacnic.net/rdap/ip/"+q {
					t.Fatalf("asked %v, want ARIN then LACNIC", got)
				}
				if len(ans.Contacts) == 0 || ans.Raw[0].RedirectedFrom != "https://rdap.arin.net/registry/ip/"+q {
					t.Errorf("contacts %v raw %+v", addresses(ans.Contacts), ans.Raw)
				}
				f.lim.mu.Lock()
				_, limited := f.lim.servers["rdap.lacnic.net"]
				f.lim.mu.Unlock()
				if !limited {
					t.Error("the redirect's host was asked outside the per-server limiter")
				}
				return
			}
			if len(lacnic.Hits()) != 0 {
				t.Errorf("redirect to %s followed: %v", tc.location, got)
			}
			if !ans.Incomplete || !hasWarningIn(ans.Warnings, tc.warn) {
				t.Errorf("incomplete %v, warnings %q, want %q", ans.Incomplete, ans.Warnings, tc.warn)
			}
		})
	}
}

func TestCheckRedirectErrors(t *testing.T) {
	reg := startRegistry(t)
	f := newFinder(t, testConfig(reg))
	u := mustURL(t, "https://rdap.db.ripe.net/ip/1.2.3.4")
	if err := f.checkRedirect(u); !errors.Is(err, ErrBadRedirect) {
		t.Errorf("override finder let a redirect leave its server: %v", err)
	}
}

func hasWarningIn(ws []string, sub string) bool {
	return hasWarning(&Result{Warnings: ws}, sub)
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A domain under a TLD that neither IANA's dns.json nor our WHOIS list
// knows: its registrar was not asked, so the answer is incomplete and not
// cached; the RFC 2142 guess is still offered, marked for review.
func TestLookupDomainNoRegistryKnown(t *testing.T) {
	reg := startRegistry(t)
	rh := whoistest.NewRDAPHosts(reg.RDAP)
	var chosen []string
	f := bootstrapFinder(t, reg, rh, testNow, &chosen)
	for i := 0; i < 2; i++ {
		res := lookup(t, f, "sender.example-tld-unknown")
		if !res.Incomplete || !hasWarning(res, "no registry known for sender.example-tld-unknown") {
			t.Errorf("lookup %d: incomplete %v warnings %q", i, res.Incomplete, res.Warnings)
		}
		if c, ok := res.Best(); !ok || c.Source != SourceRFC2142 || !c.NeedsReview {
			t.Errorf("lookup %d: best %+v, want the labelled RFC 2142 guess", i, c)
		}
	}
	if len(rh.Seen()) != 0 || len(chosen) != 0 {
		t.Errorf("asked RDAP %v, WHOIS %v", rh.Seen(), chosen)
	}
}
