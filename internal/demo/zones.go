package demo

import (
	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
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
	// Parked answers its entries with an address outside 127.0.0.0/8, an
	// expired domain's parking page (bogus), while a stale copy of the
	// zone still serves its test points: its health check passes and the
	// verdict shows as bogus rather than unknown.
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
			Description: "an expired list domain answering with a parking address (demo)"}, Behaviour: Parked,
			Entries: map[string]string{s.MX: ""}},
		{List: dnsbl.List{Name: "brokenbl", Zone: "broken.rbl.test", Kind: dnsbl.KindIPv4,
			Description: "a list whose servers fail (demo)"}, Behaviour: Broken},
		{List: dnsbl.List{Name: "domainbl", Zone: "dbl.rbl.test", Kind: dnsbl.KindDomain,
			Description: "a domain list (demo)"},
			Entries: map[string]string{"spammer.test": "Domain used in spam"}},
	}
}

// ServeZones starts a loopback DNS server answering for zones the way real
// lists do (RFC 5782): an A record 127.0.0.2 and a TXT reason for a listed
// key, NXDOMAIN otherwise; the dead, refusing, parked and broken lists
// answer as such lists did in the wild.
func ServeZones(zones []Zone) (*dnstest.Server, error) {
	s, err := dnstest.Start()
	if err != nil {
		return nil, err
	}
	for _, z := range zones {
		load(s, z)
	}
	return s, nil
}

func load(s *dnstest.Server, z Zone) {
	zone := z.List.Zone
	switch z.Behaviour {
	case World:
		s.Wildcard(zone, "127.0.0.2")
	case Refusing:
		s.Wildcard(zone, "127.255.255.254")
	case Broken:
		s.Fault(zone, dnstest.ServFail)
	case Parked:
		s.HealthyIPv4(zone)
		for key := range z.Entries {
			s.ListIP(zone, key, "", parkingAddr)
		}
	default:
		if z.List.Kind == dnsbl.KindDomain {
			s.HealthyDomain(zone)
		} else {
			s.HealthyIPv4(zone)
		}
		for key, txt := range z.Entries {
			if z.List.Kind == dnsbl.KindDomain {
				s.ListDomain(zone, key, txt, "127.0.0.2")
			} else {
				s.ListIP(zone, key, txt, "127.0.0.2")
			}
		}
	}
}

// Lists returns the catalogue entries of zones, to configure the checker.
func Lists(zones []Zone) []dnsbl.List {
	out := make([]dnsbl.List, len(zones))
	for i, z := range zones {
		out[i] = z.List
	}
	return out
}
