package demo

import (
	"net/netip"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// Behaviour is how a demo list answers.
type Behaviour int

// The behaviours, one per verdict the demo has to show.
const (
	// Healthy lists its entries and the RFC 5782 §5 test point, with TXT.
	Healthy Behaviour = iota
	// World lists every address: a dead list whose domain was parked or
	// wildcarded (AHBL 2015, SpamCop 2021-01-31). Its health check fails.
	World
	// Refusing answers 127.255.255.254 to everything, as Spamhaus does to
	// queries through public resolvers.
	Refusing
	// Parked answers with an address outside 127.0.0.0/8: an expired
	// domain pointing at a parking page (bogus).
	Parked
	// Broken answers SERVFAIL (error).
	Broken
)

// Zone is one demo list: its catalogue entry and how it answers.
type Zone struct {
	List      dnsbl.List
	Behaviour Behaviour
	// Entries are the listed keys (an IP or a domain) with their TXT.
	Entries map[string]string
}

// parkingAddr is where a parked list's answers point (TEST-NET-2).
const parkingAddr = "198.51.100.80"

// Zones returns the demo's lists: a list that takes callouts for a
// dictionary attack and lists the operator's MX, a clean healthy list, a
// dead one, a refusing one, a parked one, a broken one and a domain list.
func Zones(s Story) []Zone {
	return []Zone{
		{List: dnsbl.List{Name: "callbackrl", Zone: "dha.rbl.test", Kind: dnsbl.KindIPv4,
			Description: "lists senders it sees probing addresses (demo)",
			Delist:      "https://dha.rbl.test/removal"},
			Entries: map[string]string{
				s.MX: "The sending IP (" + s.MX + ") is listed on dha.rbl.test as a source of dictionary attacks.",
			}},
		{List: dnsbl.List{Name: "quietbl", Zone: "bl.rbl.test", Kind: dnsbl.KindIPv4,
			Description: "a healthy list that does not list the MX (demo)", Delist: "https://bl.rbl.test/lookup"},
			Entries: map[string]string{"192.0.2.99": "Listed for spam: see https://bl.rbl.test/lookup"}},
		{List: dnsbl.List{Name: "worldbl", Zone: "world.rbl.test", Kind: dnsbl.KindIPv4,
			Description: "a dead list that lists the whole world (demo)"}, Behaviour: World},
		{List: dnsbl.List{Name: "refusebl", Zone: "zen.rbl.test", Kind: dnsbl.KindIPv4,
			Description: "refuses queries from public resolvers (demo)", RefusesPublicResolvers: true}, Behaviour: Refusing},
		{List: dnsbl.List{Name: "parkedbl", Zone: "parked.rbl.test", Kind: dnsbl.KindIPv4,
			Description: "an expired list domain answering with a parking address (demo)"}, Behaviour: Parked},
		{List: dnsbl.List{Name: "brokenbl", Zone: "broken.rbl.test", Kind: dnsbl.KindIPv4,
			Description: "a list whose servers fail (demo)"}, Behaviour: Broken},
		{List: dnsbl.List{Name: "domainbl", Zone: "dbl.rbl.test", Kind: dnsbl.KindDomain,
			Description: "a domain list (demo)"},
			Entries: map[string]string{"spammer.test": "Domain used in spam"}},
	}
}

// keyOf turns a query name under zone into the key looked up: an IPv4
// address from its reversed labels, or a domain as it is. ok is false for
// names outside the zone.
func keyOf(name, zone string, kind dnsbl.Kind) (string, bool) {
	name, zone = strings.ToLower(strings.TrimSuffix(name, ".")), strings.ToLower(zone)
	rest, ok := strings.CutSuffix(name, "."+zone)
	if !ok || rest == "" {
		return "", false
	}
	if kind == dnsbl.KindDomain {
		return rest, true
	}
	l := strings.Split(rest, ".")
	if len(l) != 4 {
		return "", false
	}
	a, err := netip.ParseAddr(l[3] + "." + l[2] + "." + l[1] + "." + l[0])
	if err != nil || !a.Is4() {
		return "", false
	}
	return a.String(), true
}

// testListed reports whether key is the RFC 5782 §5 test point every
// healthy list lists (127.0.0.2, or TEST for domain lists).
func testListed(key string, kind dnsbl.Kind) bool {
	if kind == dnsbl.KindDomain {
		return key == "test"
	}
	return key == "127.0.0.2"
}
