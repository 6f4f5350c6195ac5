package demo

import (
	"errors"
	"strings"

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
	e.Registry.WHOIS.Route(filterNet6, whoistest.Reply{Text: filterWHOIS()})
	return e, nil
}

// filterNet6 is the IPv6 network of the story's antispam cloud
// (evidence/testdata/demo/README.md), which the fake registries do not
// carry: the demo adds a RIPE-shaped answer for it.
const filterNet6 = "2001:db8:f1::/48"

func filterWHOIS() string {
	return strings.NewReplacer(
		"'62.239.237.0 - 62.239.237.255'", "'"+filterNet6+"'",
		"inetnum:        62.239.237.0 - 62.239.237.255", "inet6num:       "+filterNet6,
		"BT-INFRA-EDGE", "FILTER-EXAMPLE-V6", "BT Infrastructure", "Filter cloud, IPv6",
		"protect@bt.com", "abuse@filter.example", "btcertcc@bt.com", "cert@filter.example",
		"62.239.0.0/16AS2856", "2001:db8:f1::/48AS64500", "62.239.0.0/16", filterNet6, "AS2856", "AS64500",
	).Replace(whoistest.File("ripe.txt"))
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
