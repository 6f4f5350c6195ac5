package demo

import (
	"errors"

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
	return e, nil
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
