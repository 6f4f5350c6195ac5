package dnsbl_test

import (
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// The zones the integration tests run on a real rbldnsd, one per kind of
// list behaviour the checker must tell apart. Addresses come from the
// documentation ranges (RFC 5737, RFC 3849) and domains from .example
// (RFC 2606), so nothing here names a real host.
const (
	zoneNormal  = "normal.lists.test"
	zoneWorld   = "world.lists.test"
	zoneRefuse  = "refuse.lists.test"
	zoneIPv6    = "v6.lists.test"
	zoneDomains = "dbl.lists.test"
)

// soa gives every zone an SOA and NS, as real lists have, so that negative
// answers carry an SOA (a resolver caches them by its minimum TTL).
const soa = "$SOA 60 ns.lists.test hostmaster.lists.test 1 600 300 86400 60\n$NS 60 ns.lists.test\n"

// normalMain is an IPv4 list with the RFC 5782 test point, a default
// A+TXT template ($ is the queried address) and per-entry codes.
const normalMain = soa + `:127.0.0.2:Listed, see https://normal.lists.test/lookup?ip=$
127.0.0.2
192.0.2.10
192.0.2.11 :127.0.0.3:Spam source $ (code 3)
198.51.100.0/28 :127.0.0.4:
`

// normalPolicy is a second dataset of the same zone, as Spamhaus ZEN
// combines SBL, XBL and PBL: an address on both answers two A records and
// two TXT records.
const normalPolicy = `:127.0.0.10:Dynamic range $ (policy)
192.0.2.11
`

// worldData lists every IPv4 address: what a dead list's parked domain
// or a wildcard does. rbldnsd's ip4set refuses 0/0, so this is an ip4trie.
const worldData = soa + "0.0.0.0/0 :127.0.0.2:Everything is listed\n"

// refuseData answers 127.255.255.254 to everything, as Spamhaus does to
// queries that arrive through a public resolver.
const refuseData = soa + ":127.255.255.254:Error: open resolver; see https://www.spamhaus.org/returnc/pub/\n0.0.0.0/0\n"

// ipv6Data is an IPv6 list: the RFC 5782 §5 test point ::ffff:7f00:2 in
// nibble form (a checker that turns it into 127.0.0.2 queries the wrong
// name and finds it missing) and a listed /48.
const ipv6Data = soa + `:127.0.0.2:IPv6 $ listed
::ffff:7f00:2
2001:db8:1::/48 :127.0.0.3:Abused IPv6 range $
`

// domainData is a domain list (RHSBL, like Spamhaus DBL) with the TEST
// test point, a listed domain, and a listed domain with all its
// subdomains (a leading dot in rbldnsd's dnset), and an IDN in the
// punycode form lists publish.
const domainData = soa + `:127.0.1.2:Domain $ listed, low reputation
test
spam.example
xn--bcher-kva.example
.phish.example :127.0.1.4:Phishing domain $
`

func listZones() []rbldnsdtest.Zone {
	return []rbldnsdtest.Zone{
		{Name: zoneNormal, Type: "ip4set", File: "normal-main", Data: normalMain},
		{Name: zoneNormal, Type: "ip4set", File: "normal-policy", Data: normalPolicy},
		{Name: zoneWorld, Type: "ip4trie", File: "world", Data: worldData},
		{Name: zoneRefuse, Type: "ip4trie", File: "refuse", Data: refuseData},
		{Name: zoneIPv6, Type: "ip6trie", File: "v6", Data: ipv6Data},
		{Name: zoneDomains, Type: "dnset", File: "dbl", Data: domainData},
	}
}

// startLists runs rbldnsd with every list zone for the test.
func startLists(t *testing.T) *rbldnsdtest.Server {
	t.Helper()
	return rbldnsdtest.StartT(t, rbldnsdtest.Options{}, listZones()...)
}
