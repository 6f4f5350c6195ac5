package demo

import (
	"errors"
	"net/netip"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// Env is the demo's loopback world: the blocklists, and the registries
// (WHOIS, RDAP and the DNS sources) that know the demo's probers.
type Env struct {
	Zones    []Zone
	DNS      *dnstest.Server
	Registry *whoistest.Registry
}

// Start serves the story's zones and the fake registries on 127.0.0.1.
func Start(s Story) (*Env, error) {
	e := &Env{Zones: Zones(s)}
	var err error
	if e.DNS, err = ServeZones(e.Zones); err != nil {
		return nil, err
	}
	if e.Registry, err = whoistest.StartRegistry(); err != nil {
		e.Close()
		return nil, err
	}
	if err := addFilterNet6(e.Registry); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// filterNet6 is the IPv6 network of the story's antispam cloud
// (evidence/testdata/demo/README.md). The fake registries answer for all of
// 2001:db8::/32 with another operator; the cloud's own, more specific
// assignment is added on every source (RDAP, WHOIS, Team Cymru, Abusix), as
// a registry would carry it.
const filterNet6 = "2001:db8:f1::/48"

// FilterNet6 is the variant the registries answer for filterNet6: the
// IPv6 answer of the fixtures, handed to the story's fictional cloud.
var FilterNet6 = whoistest.Variant{
	Prefix: netip.MustParsePrefix(filterNet6), Base: "ripe-v6",
	Holder: whoistest.Holder{Name: "Example Filter Cloud", Handle: "EXFLT", Domain: "filter.example"},
	From:   docFrom("ripe-v6"),
	To: []string{filterNet6, "2001:db8:f1::/128", "2001:db8:f1:ffff:ffff:ffff:ffff:ffff/128", filterNet6, "2001:db8:f1::1",
		"abuse@filter.example", "noc@filter.example", "ipam@filter.example",
		"dns@filter.example", "ops1@filter.example", "ops2@filter.example", "FILTER-EXAMPLE-V6"},
	Origin: "64500 | " + filterNet6 + " | NL | ripencc | 2010-01-01", Abusix: "abuse@filter.example",
}

func addFilterNet6(r *whoistest.Registry) error { return r.AddVariant(FilterNet6) }

// docFrom is the list of strings the DocNetworks variant of base replaces
// (its ranges, mailboxes and network name), so that a variant of the same
// answer replaces the same strings: one list to mend when the fixture
// changes.
func docFrom(base string) []string {
	for _, v := range whoistest.DocNetworks {
		if v.Base == base {
			return v.From
		}
	}
	panic("demo: no documentation variant of " + base)
}

// Close stops every server.
func (e *Env) Close() error {
	var errs []error
	if e.DNS != nil {
		errs = append(errs, e.DNS.Close())
	}
	if e.Registry != nil {
		errs = append(errs, e.Registry.Close())
	}
	return errors.Join(errs...)
}
