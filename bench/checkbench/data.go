package main

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// The workload: every address of one /20 checked against ten lists.
// 198.18.0.0/15 is reserved for benchmarking (RFC 2544, RFC 6815), so no
// real list or host is involved even by mistake.
const (
	network   = "198.18.0.0/20"
	lists     = 10
	zoneFmt   = "bl%d.bench.test"
	listEvery = 16 // one address in 16 is listed on each list
)

// workload is what both tools are asked to do, and what the answers must
// be.
type workload struct {
	addrs  []netip.Addr
	zones  []string
	listed map[string]int // zone -> how many of addrs it lists
}

func newWorkload() workload {
	w := workload{listed: make(map[string]int, lists)}
	p := netip.MustParsePrefix(network)
	for a := p.Addr(); p.Contains(a); a = a.Next() {
		w.addrs = append(w.addrs, a)
	}
	for i := range lists {
		w.zones = append(w.zones, fmt.Sprintf(zoneFmt, i))
	}
	return w
}

// isListed spreads the listings differently on each list, so that the
// listed addresses do not line up across lists.
func isListed(list, n int) bool { return (n*7+list*13)%listEvery == 0 }

// rbldnsdZones builds one ip4set per list: the RFC 5782 test point
// 127.0.0.2 (the checker verifies list health), the listed addresses with a
// code that varies by address, and a TXT template as real lists have.
func (w *workload) rbldnsdZones() []rbldnsdtest.Zone {
	out := make([]rbldnsdtest.Zone, 0, len(w.zones))
	for i, z := range w.zones {
		var b strings.Builder
		fmt.Fprintf(&b, "$SOA 60 ns.bench.test hostmaster.bench.test 1 600 300 86400 60\n")
		fmt.Fprintf(&b, "$NS 60 ns.bench.test\n")
		fmt.Fprintf(&b, ":127.0.0.2:Listed on %s, see https://bench.test/lookup?ip=$\n", z)
		b.WriteString("127.0.0.2\n")
		for n, a := range w.addrs {
			if isListed(i, n) {
				fmt.Fprintf(&b, "%s :127.0.0.%d\n", a, 2+n%3)
				w.listed[z]++
			}
		}
		out = append(out, rbldnsdtest.Zone{Name: z, Type: "ip4set", Data: b.String()})
	}
	return out
}

// dnsperfInput is the same 4096 x 10 A queries, one "name type" per line,
// in the RFC 5782 reversed form dnsblaudit sends.
func (w workload) dnsperfInput() string {
	var b strings.Builder
	for _, z := range w.zones {
		for _, a := range w.addrs {
			o := a.As4()
			fmt.Fprintf(&b, "%d.%d.%d.%d.%s A\n", o[3], o[2], o[1], o[0], z)
		}
	}
	return b.String()
}

// checks is how many (address, list) verdicts the run must produce.
func (w workload) checks() int { return len(w.addrs) * len(w.zones) }
