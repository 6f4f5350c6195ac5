package whoisctx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

var testNow = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

// startRegistry starts the loopback fakes for one test.
func startRegistry(t *testing.T) *whoistest.Registry {
	t.Helper()
	reg, err := whoistest.StartRegistry()
	if err != nil {
		t.Fatalf("starting fake registry: %v", err)
	}
	t.Cleanup(func() { _ = reg.Close() })
	return reg
}

// testConfig points every source at reg, with short timeouts and no
// minimum interval.
func testConfig(reg *whoistest.Registry) Config {
	return Config{
		WhoisServer:  reg.WHOIS.Addr(),
		RDAPURL:      reg.RDAP.URL(),
		DNSServers:   []string{reg.DNS.Addr()},
		Timeout:      5 * time.Second,
		QueryTimeout: 2 * time.Second,
		MinInterval:  -1,
	}
}

func newFinder(t *testing.T, cfg Config, opts ...Option) *Finder {
	t.Helper()
	opts = append([]Option{WithClock(func() time.Time { return testNow }), WithHTTPClient(loopbackOnly())}, opts...)
	f, err := New(cfg, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

func lookup(t *testing.T, f *Finder, q string) *Result {
	t.Helper()
	res, err := f.Lookup(context.Background(), q)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", q, err)
	}
	return res
}

func addresses(cs []Contact) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Address)
	}
	return out
}

func networkContacts(res *Result) []Contact {
	var out []Contact
	for _, c := range res.Contacts {
		if c.Role == RoleNetwork && !c.NeedsReview {
			out = append(out, c)
		}
	}
	return out
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// loopbackOnly is an HTTP client that refuses to leave the machine: tests
// never reach a real registry.
func loopbackOnly() *http.Client {
	d := &net.Dialer{}
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		if ip, err := netip.ParseAddr(host); err != nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("test tried to reach %s", addr)
		}
		return d.DialContext(ctx, network, addr)
	}}}
}
