// Package workload is the benchmark's data: every address of one /20
// checked against ten lists served by rbldnsd, with the zone files, the
// dnsperf input for the same queries, and the verdicts the zone data
// implies. bench/checkbench and the dnsbl package's in-process benchmark
// share it so that their figures describe the same work.
package workload

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// 198.18.0.0/15 is reserved for benchmarking (RFC 2544, RFC 6815), so no
// real list or host is involved even by mistake.
const (
	Network   = "198.18.0.0/20"
	lists     = 10
	zoneFmt   = "bl%d.bench.test"
	listEvery = 16 // one address in 16 is listed on each list
)

// Workload is what both tools are asked to do, and what the answers must
// be.
type Workload struct {
	Addrs  []netip.Addr
	Zones  []string
	listed map[string]int // zone -> how many of Addrs it lists
}

// New builds the workload.
func New() *Workload {
	w := &Workload{listed: make(map[string]int, lists)}
	p := netip.MustParsePrefix(Network)
	for a := p.Addr(); p.Contains(a); a = a.Next() {
		w.Addrs = append(w.Addrs, a)
	}
	for i := range lists {
		z := fmt.Sprintf(zoneFmt, i)
		w.Zones = append(w.Zones, z)
		for n := range w.Addrs {
			if isListed(i, n) {
				w.listed[z]++
			}
		}
	}
	return w
}

// isListed spreads the listings differently on each list, so that the
// listed addresses do not line up across lists.
func isListed(list, n int) bool { return (n*7+list*13)%listEvery == 0 }

// Listed is how many of the addresses zone lists.
func (w *Workload) Listed(zone string) int { return w.listed[zone] }

// Checks is how many (address, list) verdicts a run must produce.
func (w *Workload) Checks() int { return len(w.Addrs) * len(w.Zones) }

// RbldnsdZones builds one ip4set per list: the RFC 5782 test point
// 127.0.0.2 (the checker verifies list health), the listed addresses with
// a code that varies by address, and a TXT template as real lists have.
func (w *Workload) RbldnsdZones() []rbldnsdtest.Zone {
	out := make([]rbldnsdtest.Zone, 0, len(w.Zones))
	for i, z := range w.Zones {
		var b strings.Builder
		b.WriteString("$SOA 60 ns.bench.test hostmaster.bench.test 1 600 300 86400 60\n")
		b.WriteString("$NS 60 ns.bench.test\n")
		fmt.Fprintf(&b, ":127.0.0.2:Listed on %s, see https://bench.test/lookup?ip=$\n", z)
		b.WriteString("127.0.0.2\n")
		for n, a := range w.Addrs {
			if isListed(i, n) {
				fmt.Fprintf(&b, "%s :127.0.0.%d\n", a, 2+n%3)
			}
		}
		out = append(out, rbldnsdtest.Zone{Name: z, Type: "ip4set", Data: b.String()})
	}
	return out
}

// DnsperfInput is the same 4096 x 10 A queries, one "name type" per line,
// in the RFC 5782 reversed form the checker sends.
func (w *Workload) DnsperfInput() string {
	var b strings.Builder
	for _, z := range w.Zones {
		for _, a := range w.Addrs {
			o := a.As4()
			fmt.Fprintf(&b, "%d.%d.%d.%d.%s A\n", o[3], o[2], o[1], o[0], z)
		}
	}
	return b.String()
}
