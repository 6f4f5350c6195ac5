package whoistest

import (
	"bufio"
	"io"
	"net"
	"net/netip"
	"strings"
	"testing"
)

func TestUnreverse(t *testing.T) {
	for _, s := range []string{"62.239.237.10", "2a01:4f8:c17:1a2b::2"} {
		a := netip.MustParseAddr(s)
		rev := strings.TrimSuffix(strings.TrimSuffix(Reverse(a), ".in-addr.arpa."), ".ip6.arpa.")
		if got, ok := unreverse(rev); !ok || got != a {
			t.Errorf("unreverse(%s) = %s %v, want %s", rev, got, ok, a)
		}
	}
}

func TestWHOISRouting(t *testing.T) {
	s, err := StartWHOIS()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Route("174.0.0.0/13", Reply{Text: "parent\n"})
	s.Route("174.0.36.0/24", Reply{Text: "child\n"})
	s.Route("Example.COM", Reply{Text: "domain\n"})
	for q, want := range map[string]string{"n + 174.0.36.9": "child", "174.1.0.1": "parent", "example.com": "domain", "10.0.0.1": "no entries found"} {
		if got := ask(t, s.Addr(), q); !strings.Contains(got, want) {
			t.Errorf("%q -> %q, want %q", q, got, want)
		}
	}
	if n := len(s.Queries()); n != 4 {
		t.Errorf("%d queries recorded", n)
	}
}

func ask(t *testing.T, addr, q string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, q+"\r\n"); err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(bufio.NewReader(c))
	return string(b)
}

// Every fixture named by Networks exists and StartRegistry loads them.
func TestRegistryLoads(t *testing.T) {
	r, err := StartRegistry()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, n := range Networks {
		if got := ask(t, r.WHOIS.Addr(), n.Sample.String()); strings.Contains(got, "no entries found") || len(got) < 500 {
			t.Errorf("%s: no registry text", n.Name)
		}
	}
}
