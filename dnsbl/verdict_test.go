package dnsbl

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// TestVerdictPaths runs one target through a list set up for each path.
func TestVerdictPaths(t *testing.T) {
	const ip = "192.0.2.1"
	name := dnstest.ReverseIP(ip, false)
	tests := []struct {
		name   string
		setup  func(s *dnstest.Server, zone string)
		want   Verdict
		reason string
		codes  int
		txt    int
	}{
		{"nxdomain", func(s *dnstest.Server, z string) {}, NotListed, "NXDOMAIN", 0, 0},
		{"nodata", func(s *dnstest.Server, z string) { s.TXT(name+"."+z, 0, "only txt") }, NotListed, "no A record", 0, 0},
		{"listed with txt", func(s *dnstest.Server, z string) {
			s.ListIP(z, ip, "spam from "+ip+"\x1b[31m see https://bl.example/", "127.0.0.2")
		}, Listed, "listed", 1, 1},
		{"multiple A", func(s *dnstest.Server, z string) { s.ListIP(z, ip, "", "127.0.0.2", "127.0.0.4", "127.0.0.10") }, Listed, "listed", 3, 0},
		{"outside 127/8", func(s *dnstest.Server, z string) { s.ListIP(z, ip, "", "146.112.61.108") }, Bogus, "outside 127.0.0.0/8", 1, 0},
		{"refusal code", func(s *dnstest.Server, z string) { s.ListIP(z, ip, "", "127.255.255.254") }, Refused, "public or open resolver", 1, 0},
		{"timeout", func(s *dnstest.Server, z string) { s.Fault(name+"."+z, dnstest.Drop) }, Error, "timeout", 0, 0},
		{"servfail", func(s *dnstest.Server, z string) { s.Fault(name+"."+z, dnstest.ServFail) }, Error, "SERVFAIL", 0, 0},
		{"refused rcode", func(s *dnstest.Server, z string) { s.Fault(name+"."+z, dnstest.Refuse) }, Error, "REFUSED", 0, 0},
		{"truncated then TCP", func(s *dnstest.Server, z string) {
			s.ListIP(z, ip, strings.Repeat("long reason ", 60), "127.0.0.2", "127.0.0.3").Fault(name+"."+z, dnstest.Truncate)
		}, Listed, "listed", 2, 1},
		{"dropped once, retried", func(s *dnstest.Server, z string) {
			s.ListIP(z, ip, "", "127.0.0.2").DropFirst(name+"."+z, 1)
		}, Listed, "listed", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			srv.HealthyIPv4("bl.test")
			tt.setup(srv, "bl.test")
			c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test"}})
			rep := check(t, c, ip)
			if len(rep.Results) != 1 {
				t.Fatalf("results: %+v", rep.Results)
			}
			r := rep.Results[0]
			if r.Verdict != tt.want || !strings.Contains(r.Reason, tt.reason) || len(r.Codes) != tt.codes || len(r.TXT) != tt.txt {
				t.Errorf("got %s %q codes=%v txt=%q; want %s %q codes=%d txt=%d", r.Verdict, r.Reason, r.Codes, r.TXT, tt.want, tt.reason, tt.codes, tt.txt)
			}
			for _, txt := range r.TXT {
				if strings.ContainsRune(txt, 0x1b) {
					t.Errorf("TXT not sanitised: %q", txt)
				}
			}
			if r.Target != ip || r.Query != ip || r.Zone != "bl.test" || !r.Checked.Equal(fixedNow) {
				t.Errorf("identity fields: %+v", r)
			}
		})
	}
}

func TestServfailRetriedOnceTimeoutRetriedMore(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test")
	sf := dnstest.ReverseIP("192.0.2.1", false) + ".bl.test"
	to := dnstest.ReverseIP("192.0.2.2", false) + ".bl.test"
	srv.Fault(sf, dnstest.ServFail).Fault(to, dnstest.Drop)
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test"}}, func(c *Config) { c.Retries = 3; c.Timeout = 100 * time.Millisecond })
	check(t, c, "192.0.2.1", "192.0.2.2")
	if n := srv.Queries(sf); n != 1+servfailRetries {
		t.Errorf("SERVFAIL queries = %d, want %d", n, 1+servfailRetries)
	}
	if n := srv.Queries(to); n != 4 {
		t.Errorf("timeout queries = %d, want 4", n)
	}
}

func TestHealth(t *testing.T) {
	tests := []struct {
		name   string
		def    List
		setup  func(s *dnstest.Server)
		status HealthStatus
		want   Verdict
		reason string
	}{
		{"healthy", List{Name: "bl", Zone: "bl.test"}, func(s *dnstest.Server) { s.HealthyIPv4("bl.test") }, Healthy, NotListed, ""},
		{"no positive test point", List{Name: "bl", Zone: "bl.test"}, func(s *dnstest.Server) {}, Unhealthy, Unknown, "does not list the RFC 5782"},
		{"lists the world", List{Name: "bl", Zone: "bl.test"}, func(s *dnstest.Server) { s.Wildcard("bl.test", "127.0.0.2") }, Unhealthy, Unknown, "lists the RFC 5782 section 5 test point 127.0.0.1"},
		{"canary", List{Name: "bl", Zone: "bl.test"}, func(s *dnstest.Server) {
			s.Wildcard("bl.test", "127.0.0.2").A("1.0.0.127.bl.test", 0)
			s.Fault("1.0.0.127.bl.test", dnstest.NXDomain)
		}, Unhealthy, Unknown, "whole world"},
		{"bogus test point", List{Name: "bl", Zone: "bl.test"}, func(s *dnstest.Server) { s.ListIP("bl.test", "127.0.0.2", "", "146.112.61.108") }, Unhealthy, Unknown, "outside 127.0.0.0/8"},
		{"refuses everything", List{Name: "bl", Zone: "bl.test"}, func(s *dnstest.Server) { s.Wildcard("bl.test", "127.255.255.254") }, HealthRefused, Refused, "public or open resolver"},
		{"test point times out", List{Name: "bl", Zone: "bl.test"}, func(s *dnstest.Server) {
			s.HealthyIPv4("bl.test").Fault("2.0.0.127.bl.test", dnstest.Drop)
		}, HealthError, Unknown, "timeout"},
		{"hostkarma exception", List{Name: "hk", Zone: "hk.test", ListsNegativeTestPoint: true}, func(s *dnstest.Server) {
			s.HealthyIPv4("hk.test").ListIP("hk.test", "127.0.0.1", "", "127.0.0.1")
		}, Healthy, NotListed, ""},
		{"ipv6 nibble test points", List{Name: "v6", Zone: "v6.test", Kind: KindIPv6}, func(s *dnstest.Server) { s.HealthyIPv6("v6.test") }, Healthy, NotListed, ""},
		{"ipv6 v4-form test point is not enough", List{Name: "v6", Zone: "v6.test", Kind: KindIPv6}, func(s *dnstest.Server) { s.HealthyIPv4("v6.test") }, Unhealthy, Unknown, "::ffff:7f00:2"},
		{"domain test points", List{Name: "d", Zone: "d.test", Kind: KindDomain}, func(s *dnstest.Server) { s.HealthyDomain("d.test") }, Healthy, NotListed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			tt.setup(srv)
			c := newTestChecker(t, srv, []List{tt.def}, func(c *Config) { c.Timeout = 100 * time.Millisecond })
			target := "192.0.2.9"
			if tt.def.Kind == KindIPv6 {
				target = "2001:db8::9"
			}
			if tt.def.Kind == KindDomain {
				target = "example.org"
			}
			rep := check(t, c, target)
			if len(rep.Health) != 1 || rep.Health[0].Status != tt.status || !strings.Contains(rep.Health[0].Reason, tt.reason) {
				t.Errorf("health = %+v, want %s %q", rep.Health, tt.status, tt.reason)
			}
			for _, r := range rep.Results {
				if r.Verdict != tt.want {
					t.Errorf("result %s %s = %s %q, want %s", r.Query, r.List, r.Verdict, r.Reason, tt.want)
				}
			}
			if len(rep.Results) == 0 {
				t.Errorf("no results")
			}
		})
	}
}

func TestDeadListIsTold(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test")
	cfg := Config{Resolver: srv.Addr, Only: []string{"sorbs", "bl"}, Lists: []List{{Name: "bl", Zone: "bl.test"}}}
	c, err := NewChecker(cfg, WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rep := check(t, c, "192.0.2.1")
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "dead since 2024-06-05") {
		t.Errorf("warnings = %q", rep.Warnings)
	}
	var dead bool
	for _, h := range rep.Health {
		dead = dead || (h.List == "sorbs" && h.Status == Dead)
	}
	if !dead {
		t.Errorf("health = %+v", rep.Health)
	}
	for _, r := range rep.Results {
		if r.List == "sorbs" {
			t.Errorf("a dead list was queried: %+v", r)
		}
	}
	// A user-defined list under a dead zone is dead too.
	cfg = Config{Resolver: srv.Addr, Lists: []List{{Name: "mine", Zone: "dnsbl.sorbs.net"}, {Name: "bl", Zone: "bl.test"}}}
	c2, err := NewChecker(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if w := c2.Warnings(); len(w) != 1 || !strings.Contains(w[0], "mine") {
		t.Errorf("user list under a dead zone: warnings %q", w)
	}
}

func TestDQSKeyNeverShown(t *testing.T) {
	const key = "s3cr3tk3yabcdef"
	srv := startServer(t)
	srv.HealthyIPv4(key+".zen.dq.test").ListIP(key+".zen.dq.test", "192.0.2.1", "listed via "+key+".zen.dq.test", "127.0.0.2")
	srv.Fault(dnstest.ReverseIP("192.0.2.2", false)+"."+key+".zen.dq.test", dnstest.Drop)
	var mu sync.Mutex
	var events []QueryEvent
	cfg := Config{Resolver: srv.Addr, NoCatalogue: true, Timeout: 100 * time.Millisecond, Retries: -1,
		Lists: []List{{Name: "dqs", Zone: "{key}.zen.dq.test", KeyEnv: "TEST_DQS_KEY"}}}
	c, err := NewChecker(cfg, WithGetenv(func(k string) string {
		if k == "TEST_DQS_KEY" {
			return key
		}
		return ""
	}), WithObserver(func(e QueryEvent) { mu.Lock(); events = append(events, e); mu.Unlock() }))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rep := check(t, c, "192.0.2.1", "192.0.2.2")
	if rep.Results[0].Verdict != Listed || rep.Results[1].Verdict != Error {
		t.Fatalf("results = %+v", rep.Results)
	}
	var all strings.Builder
	for _, r := range rep.Results {
		all.WriteString(r.Zone + r.Reason + strings.Join(r.TXT, " "))
	}
	for _, h := range rep.Health {
		all.WriteString(h.Zone + h.Reason)
	}
	for _, l := range rep.Lists {
		all.WriteString(l.Zone)
	}
	for _, e := range events {
		all.WriteString(e.Zone)
		if e.Err != nil {
			all.WriteString(e.Err.Error())
			if !errors.Is(e.Err, ErrTimeout) {
				t.Errorf("event error lost its identity: %v", e.Err)
			}
		}
	}
	if strings.Contains(all.String(), key) {
		t.Errorf("key leaked: %s", all.String())
	}
	if !strings.Contains(rep.Results[0].Zone, "REDACTED") {
		t.Errorf("zone = %q", rep.Results[0].Zone)
	}
	// Missing key: a clear error naming the variable.
	_, err = NewChecker(cfg, WithGetenv(func(string) string { return "" }))
	if !errors.Is(err, ErrMissingKey) || !strings.Contains(err.Error(), "key_env") {
		t.Errorf("missing key error = %v", err)
	}
}

func TestHostnameAndDomainTargets(t *testing.T) {
	srv := startServer(t)
	srv.A("mail.example.org", 0, "192.0.2.1").AAAA("mail.example.org", 0, "2001:db8::25")
	srv.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "", "127.0.0.2")
	srv.HealthyIPv6("v6.test").ListIP("v6.test", "2001:db8::25", "", "127.0.0.3")
	srv.HealthyDomain("dbl.test").ListDomain("dbl.test", "example.org", "", "127.0.1.2")
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test"}, {Name: "v6", Zone: "v6.test", Kind: KindIPv6}, {Name: "dbl", Zone: "dbl.test", Kind: KindDomain}})
	rep := check(t, c, "mail.example.org", "nonexistent.example.org")
	got := map[string]Verdict{}
	for _, r := range rep.Results {
		got[r.Target+" "+r.Query+" "+r.List] = r.Verdict
	}
	want := map[string]Verdict{
		"mail.example.org 192.0.2.1 bl":                       Listed,
		"mail.example.org 2001:db8::25 v6":                    Listed,
		"mail.example.org 192.0.2.1 v6":                       Unchecked,
		"mail.example.org 2001:db8::25 bl":                    Unchecked,
		"mail.example.org mail.example.org dbl":               NotListed,
		"mail.example.org example.org dbl":                    Listed,
		"nonexistent.example.org nonexistent.example.org dbl": NotListed,
		"nonexistent.example.org example.org dbl":             Listed,
	}
	if len(got) != len(want) {
		t.Errorf("results: %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %s", k, got[k], v)
		}
	}
	if rep.Targets[1].Note == "" || rep.Targets[0].Addresses[1] != "2001:db8::25" {
		t.Errorf("targets = %+v", rep.Targets)
	}
}

func TestCacheHonoursTTL(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "reason", "127.0.0.2")
	now := fixedNow
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	cfg := Config{Resolver: srv.Addr, NoCatalogue: true, Lists: []List{{Name: "bl", Zone: "bl.test"}}}
	c, err := NewChecker(cfg, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	name := dnstest.ReverseIP("192.0.2.1", false) + ".bl.test"
	nx := dnstest.ReverseIP("192.0.2.2", false) + ".bl.test"
	for range 2 {
		check(t, c, "192.0.2.1", "192.0.2.2")
	}
	// A and TXT at the listed name, A at the other.
	if srv.Queries(name) != 2 || srv.Queries(nx) != 1 {
		t.Errorf("cached: %d and %d queries, want 2 and 1", srv.Queries(name), srv.Queries(nx))
	}
	mu.Lock()
	now = now.Add(61 * time.Second) // past the SOA minimum (60 s), inside the A TTL (300 s)
	mu.Unlock()
	check(t, c, "192.0.2.1", "192.0.2.2")
	if srv.Queries(name) != 2 || srv.Queries(nx) != 2 {
		t.Errorf("after 61 s: %d and %d queries, want 2 and 2", srv.Queries(name), srv.Queries(nx))
	}
}

func TestRateLimit(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test")
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test", Rate: 20}})
	start := time.Now()
	check(t, c, "192.0.2.0/28") // 16 + 3 health queries at 20/s, burst 20
	check(t, c, "198.51.100.0/28")
	if d := time.Since(start); d < 500*time.Millisecond {
		t.Errorf("35 queries at 20/s took %v", d)
	}
}

func TestBreakerStopsHammering(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test").Fault("bl.test", dnstest.Refuse)
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test"}}, func(c *Config) { c.Concurrency = 1 })
	rep := check(t, c, "192.0.2.0/24"[:0]+"10.0.0.0/20")
	if srv.Total() > int64(c.breakerLimit())+10 {
		t.Errorf("%d queries to a refusing list", srv.Total())
	}
	last := rep.Results[len(rep.Results)-1]
	if last.Verdict != Error || !strings.Contains(last.Reason, "not queried") {
		t.Errorf("last = %+v", last)
	}
}

func TestPublicResolverWarning(t *testing.T) {
	c, err := NewChecker(Config{Resolver: "8.8.8.8", Only: []string{"spamhaus-zen", "spamcop"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := c.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "8.8.8.8") || !strings.Contains(w[0], "spamhaus-zen") || strings.Contains(w[0], "spamcop") {
		t.Errorf("warnings = %q", w)
	}
	c2, _ := NewChecker(Config{Resolver: "[2606:4700:4700::1111]:53", Only: []string{"uribl"}})
	if w := c2.Warnings(); len(w) != 1 || !strings.Contains(w[0], "Cloudflare") {
		t.Errorf("v6 warnings = %q", w)
	}
}

func TestCheckCancelled(t *testing.T) {
	srv := startServer(t)
	srv.Fault("bl.test", dnstest.Drop)
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test"}})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Check(ctx, []string{"192.0.2.0/24"}, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

func TestBadTargetNamed(t *testing.T) {
	srv := startServer(t)
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test"}})
	_, err := c.Check(context.Background(), []string{"192.0.2.1", "192.0.2.999"}, nil)
	if !errors.Is(err, ErrBadTarget) || !strings.Contains(err.Error(), "192.0.2.999") {
		t.Errorf("err = %v", err)
	}
}

func TestSlowAnswerWithinTimeout(t *testing.T) {
	srv := startServer(t)
	srv.Delay = 50 * time.Millisecond
	srv.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "", "127.0.0.2").Fault(dnstest.ReverseIP("192.0.2.1", false)+".bl.test", dnstest.Slow)
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test"}})
	if r := check(t, c, "192.0.2.1").Results[0]; r.Verdict != Listed {
		t.Errorf("slow answer: %+v", r)
	}
	srv.SetDelay(time.Second) // beyond every attempt: an error, never "clean"
	srv.Fault(dnstest.ReverseIP("192.0.2.5", false)+".bl.test", dnstest.Slow)
	if r := check(t, c, "192.0.2.5").Results[0]; r.Verdict != Error || !strings.Contains(r.Reason, "timeout") {
		t.Errorf("too slow: %+v", r)
	}
}

func TestUncoveredFamilyIsTold(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test").A("dual.example.org", 0, "192.0.2.1").AAAA("dual.example.org", 0, "2001:db8::1")
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test"}})
	rep := check(t, c, "2001:db8::25", "dual.example.org")
	if rep.Targets[0].Error == "" || len(rep.Results) != 3 {
		t.Errorf("IPv6 target on IPv4 lists: %+v, %d results", rep.Targets[0], len(rep.Results))
	}
	// Each address a list does not cover is a result, never silence.
	for _, r := range rep.Results {
		wantV := Unchecked
		if r.Query == "192.0.2.1" {
			wantV = NotListed
		}
		if r.Verdict != wantV {
			t.Errorf("%s on %s: %s (%s), want %s", r.Query, r.List, r.Verdict, r.Reason, wantV)
		}
	}
	if rep.Targets[1].Error != "" || !strings.Contains(rep.Targets[1].Note, "2001:db8::1") {
		t.Errorf("dual-stack name: %+v", rep.Targets[1])
	}
}

func TestNothingListening(t *testing.T) {
	srv := startServer(t)
	addr := srv.Addr
	srv.Close() // the port is now closed: ICMP port unreachable
	cfg := Config{Resolver: addr, NoCatalogue: true, Lists: []List{{Name: "bl", Zone: "bl.test"}}, Timeout: 300 * time.Millisecond, Retries: 1}
	c, err := NewChecker(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	rep := check(t, c, "192.0.2.1")
	r := rep.Results[0]
	if r.Verdict != Error || !strings.Contains(r.Reason, "refused the connection") {
		t.Errorf("result %+v", r)
	}
	if rep.Health[0].Status != HealthError {
		t.Errorf("health %+v", rep.Health)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestQueryBudget(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "reason", "127.0.0.2")
	c := newTestChecker(t, srv, []List{{Name: "bl", Zone: "bl.test", MaxQueries: 5}}, func(c *Config) { c.Concurrency = 1 })
	rep := check(t, c, "192.0.2.0/29") // 8 addresses, one listed (A and TXT)
	var definite, spent int
	for _, r := range rep.Results {
		switch {
		case r.Verdict == Listed || r.Verdict == NotListed:
			definite++
		case r.Verdict == Error && strings.Contains(r.Reason, "max_queries 5"):
			spent++
		default:
			t.Errorf("unexpected %+v", r)
		}
	}
	if definite != 4 || spent != 4 || rep.Health[0].Status != Healthy {
		t.Errorf("%d definite, %d over budget, health %+v; want 4, 4, healthy", definite, spent, rep.Health)
	}
	// The budget is per run.
	if r := check(t, c, "192.0.2.9").Results[0]; r.Verdict != NotListed {
		t.Errorf("second run: %+v", r)
	}
}
