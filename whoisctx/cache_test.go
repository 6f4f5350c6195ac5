package whoisctx

import (
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// A thousand probers in one provider's prefix cost one registry query:
// the answer is cached by covering prefix, and concurrent lookups wait for
// the registry lock and then find the cache filled.
func TestThousandLookupsOneQuery(t *testing.T) {
	for _, mode := range []string{"rdap", "whois"} {
		t.Run(mode, func(t *testing.T) {
			reg := startRegistry(t)
			cfg := testConfig(reg)
			cfg.SkipRDAP = mode == "whois"
			cfg.SkipDomain = true
			f := newFinder(t, cfg)
			var wg sync.WaitGroup
			sem := make(chan struct{}, 16)
			errs := make(chan error, 1000)
			for i := range 1000 {
				wg.Add(1)
				sem <- struct{}{}
				go func() {
					defer wg.Done()
					defer func() { <-sem }()
					q := fmt.Sprintf("74.125.225.%d", i%256)
					res, err := f.Lookup(t.Context(), q)
					if err == nil {
						if c, ok := res.Best(); !ok || c.Address != "arin-contact@google.com" {
							err = fmt.Errorf("%s: best %v", q, addresses(res.Contacts))
						}
					}
					if err != nil {
						errs <- err
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			rdapHits, whoisHits := len(reg.RDAP.Hits()), len(reg.WHOIS.Queries())
			if mode == "rdap" && (rdapHits != 1 || whoisHits != 0) {
				t.Errorf("RDAP queries %d, WHOIS queries %d; want 1 and 0", rdapHits, whoisHits)
			}
			if mode == "whois" && whoisHits != 1 {
				t.Errorf("WHOIS queries %d, want 1", whoisHits)
			}
		})
	}
}

// Sequential lookups hit the cache before any DNS query.
func TestCacheSkipsDNS(t *testing.T) {
	reg := startRegistry(t)
	cfg := testConfig(reg)
	cfg.SkipDomain = true
	f := newFinder(t, cfg)
	lookup(t, f, "74.125.225.1")
	before := len(reg.DNS.Queries())
	for i := 2; i < 200; i++ {
		res := lookup(t, f, fmt.Sprintf("74.125.225.%d", i))
		if !res.Cached || res.Prefix != "74.125.225.0/24" {
			t.Fatalf("%d: cached=%v prefix=%s", i, res.Cached, res.Prefix)
		}
	}
	if after := len(reg.DNS.Queries()); after != before {
		t.Errorf("%d DNS queries for cached lookups, want 0", after-before)
	}
	// Outside the prefix: a new query.
	res := lookup(t, f, "74.125.226.1")
	if res.Cached {
		t.Errorf("74.125.226.1 answered from the 74.125.225.0/24 entry")
	}
}

func TestCacheExpiry(t *testing.T) {
	reg := startRegistry(t)
	now := testNow
	cfg := testConfig(reg)
	cfg.SkipDomain, cfg.CacheTTL = true, time.Hour
	f := newFinder(t, cfg, WithClock(func() time.Time { return now }))
	lookup(t, f, "62.239.237.1")
	now = now.Add(59 * time.Minute)
	if !lookup(t, f, "62.239.237.2").Cached {
		t.Error("not cached within the TTL")
	}
	now = now.Add(2 * time.Minute)
	if lookup(t, f, "62.239.237.3").Cached {
		t.Error("cached after the TTL")
	}
}

func TestRangePrefix(t *testing.T) {
	a := netip.MustParseAddr
	for _, tc := range []struct{ addr, first, last, want string }{
		{"62.239.237.10", "62.239.237.0", "62.239.237.255", "62.239.237.0/24"},
		{"174.0.36.9", "174.0.0.0", "174.7.255.255", "174.0.0.0/13"},
		{"10.0.0.5", "10.0.0.0", "10.0.0.9", "10.0.0.0/29"},
		{"10.0.0.9", "10.0.0.0", "10.0.0.9", "10.0.0.8/31"},
		{"2001:db8::1", "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::/32"},
	} {
		p, ok := rangePrefix(a(tc.addr), a(tc.first), a(tc.last))
		if !ok || p.String() != tc.want {
			t.Errorf("rangePrefix(%s in %s-%s) = %s %v, want %s", tc.addr, tc.first, tc.last, p, ok, tc.want)
		}
	}
	if _, ok := rangePrefix(a("10.1.0.0"), a("10.0.0.0"), a("10.0.0.255")); ok {
		t.Error("address outside the range accepted")
	}
}

func TestMemoryCacheLongestPrefix(t *testing.T) {
	c := NewMemoryCache()
	ctx := t.Context()
	exp := testNow.Add(time.Hour)
	_ = c.PutPrefix(ctx, netip.MustParsePrefix("174.0.0.0/13"), []byte("parent"), exp)
	_ = c.PutPrefix(ctx, netip.MustParsePrefix("174.0.36.0/24"), []byte("child"), exp)
	_, v, ok, _ := c.GetPrefix(ctx, netip.MustParseAddr("174.0.36.7"), testNow)
	if !ok || string(v) != "child" {
		t.Errorf("got %q, want the most specific entry", v)
	}
	_, v, _, _ = c.GetPrefix(ctx, netip.MustParseAddr("174.1.0.1"), testNow)
	if string(v) != "parent" {
		t.Errorf("got %q, want the covering entry", v)
	}
}

// Answers from a named server (a private registry, the demo's fakes) are
// never served to a Finder that asks the public registries, and back.
func TestCacheNamespaceByServers(t *testing.T) {
	reg := startRegistry(t)
	cache := NewMemoryCache()
	cfg := testConfig(reg)
	cfg.SkipDomain = true
	lookup(t, newFinder(t, cfg, WithCache(cache)), "62.239.237.1")
	other := cfg
	other.WhoisServer, other.RDAPURL, other.SkipRDAP, other.SkipWhois = "", "", true, true
	if res := lookup(t, newFinder(t, other, WithCache(cache)), "62.239.237.2"); res.Cached {
		t.Error("an override server's answer was served to a public lookup")
	}
	if res := lookup(t, newFinder(t, cfg, WithCache(cache)), "62.239.237.3"); !res.Cached {
		t.Error("same servers: cache missed")
	}
}

// RDAP down, WHOIS answers: the contact is cached, for a shorter time, so
// a thousand probers still cost one WHOIS query while RDAP is retried
// within the hour.
func TestCachePartialAnswer(t *testing.T) {
	reg := startRegistry(t)
	reg.RDAP.Route("62.239.237.0/24", whoistest.RDAPReply{Status: 500, Body: "oops"})
	now := testNow
	cfg := testConfig(reg)
	cfg.SkipDomain = true
	f := newFinder(t, cfg, WithClock(func() time.Time { return now }))
	lookup(t, f, "62.239.237.1")
	if !lookup(t, f, "62.239.237.2").Cached || len(reg.WHOIS.Queries()) != 1 {
		t.Errorf("partial answer not cached (WHOIS queries %d)", len(reg.WHOIS.Queries()))
	}
	now = now.Add(partialTTL + time.Minute)
	if lookup(t, f, "62.239.237.3").Cached {
		t.Error("partial answer kept past partialTTL")
	}
}

// Lookups queued behind a busy registry do not spend their time budget
// waiting: five lookups that each need 150ms of one registry all succeed
// with a 400ms Timeout.
func TestQueuedLookupsKeepTheirBudget(t *testing.T) {
	reg := startRegistry(t)
	var samples []string
	for i := 1; i <= 5; i++ {
		reg.RDAP.Route(fmt.Sprintf("100.%d.0.0/16", i), whoistest.RDAPReply{Body: whoistest.File("rdap-lacnic.json"), Delay: 150 * time.Millisecond})
		samples = append(samples, fmt.Sprintf("100.%d.0.1", i))
	}
	cfg := testConfig(reg)
	cfg.Timeout, cfg.QueryTimeout, cfg.SkipDomain, cfg.SkipWhois = 400*time.Millisecond, 300*time.Millisecond, true, true
	f := newFinder(t, cfg)
	var wg sync.WaitGroup
	for _, q := range samples {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := lookup(t, f, q)
			if _, ok := res.Best(); !ok {
				t.Errorf("%s: no contact, warnings %q", q, res.Warnings)
			}
		}()
	}
	wg.Wait()
}
