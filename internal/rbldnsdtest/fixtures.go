package rbldnsdtest

import "testing"

// Fixture zones: one per kind of list behaviour a checker must tell
// apart, shared by the integration tests of several packages. Addresses
// come from the documentation ranges (RFC 5737, RFC 3849) and domains from
// .example (RFC 2606), so nothing here names a real host.
const (
	ZoneNormal  = "normal.lists.test"
	ZoneWorld   = "world.lists.test"
	ZoneRefuse  = "refuse.lists.test"
	ZoneIPv6    = "v6.lists.test"
	ZoneDomains = "dbl.lists.test"
)

// soa gives every zone an SOA and NS, as real lists have, so that negative
// answers carry an SOA (a resolver caches them by its minimum TTL).
const soa = "$SOA 60 ns.lists.test hostmaster.lists.test 1 600 300 86400 60\n$NS 60 ns.lists.test\n"

// NormalMain is an IPv4 list with the RFC 5782 test point, a default
// A+TXT template ($ is the queried address) and per-entry codes.
const NormalMain = soa + `:127.0.0.2:Listed, see https://normal.lists.test/lookup?ip=$
127.0.0.2
192.0.2.10
192.0.2.11 :127.0.0.3:Spam source $ (code 3)
198.51.100.0/28 :127.0.0.4:
`

// NormalPolicy is a second dataset of the same zone, as Spamhaus ZEN
// combines SBL, XBL and PBL: an address on both answers two A records and
// two TXT records.
const NormalPolicy = `:127.0.0.10:Dynamic range $ (policy)
192.0.2.11
`

// WorldData lists every IPv4 address: what a dead list's parked domain
// or a wildcard does. rbldnsd's ip4set refuses 0/0, so this is an ip4trie.
const WorldData = soa + "0.0.0.0/0 :127.0.0.2:Everything is listed\n"

// RefuseData answers 127.255.255.254 to everything, as Spamhaus does to
// queries that arrive through a public resolver.
const RefuseData = soa + ":127.255.255.254:Error: open resolver; see https://www.spamhaus.org/returnc/pub/\n0.0.0.0/0\n"

// IPv6Data is an IPv6 list: the RFC 5782 §5 test point ::ffff:7f00:2 in
// nibble form (a checker that turns it into 127.0.0.2 queries the wrong
// name and finds it missing) and a listed /48.
const IPv6Data = soa + `:127.0.0.2:IPv6 $ listed
::ffff:7f00:2
2001:db8:1::/48 :127.0.0.3:Abused IPv6 range $
`

// DomainData is a domain list (RHSBL, like Spamhaus DBL) with the TEST
// test point, a listed domain, and a listed domain with all its
// subdomains (a leading dot in rbldnsd's dnset), and an IDN in the
// punycode form lists publish.
const DomainData = soa + `:127.0.1.2:Domain $ listed, low reputation
test
spam.example
xn--bcher-kva.example
.phish.example :127.0.1.4:Phishing domain $
`

// Fixture data file names, for Server.Rewrite.
const (
	FileNormalMain   = "normal-main"
	FileNormalPolicy = "normal-policy"
	FileWorld        = "world"
	FileRefuse       = "refuse"
	FileIPv6         = "v6"
	FileDomains      = "dbl"
)

// Fixtures returns the fixture zones.
func Fixtures() []Zone {
	return []Zone{
		{Name: ZoneNormal, Type: "ip4set", File: FileNormalMain, Data: NormalMain},
		{Name: ZoneNormal, Type: "ip4set", File: FileNormalPolicy, Data: NormalPolicy},
		{Name: ZoneWorld, Type: "ip4trie", File: FileWorld, Data: WorldData},
		{Name: ZoneRefuse, Type: "ip4trie", File: FileRefuse, Data: RefuseData},
		{Name: ZoneIPv6, Type: "ip6trie", File: FileIPv6, Data: IPv6Data},
		{Name: ZoneDomains, Type: "dnset", File: FileDomains, Data: DomainData},
	}
}

// StartFixtures runs rbldnsd with every fixture zone for the test (see
// StartT).
func StartFixtures(t testing.TB) *Server {
	t.Helper()
	return StartT(t, Options{}, Fixtures()...)
}
