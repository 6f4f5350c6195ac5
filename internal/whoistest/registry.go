package whoistest

import (
	"errors"
	"fmt"
	"net/netip"
)

// Registry is the three fakes together, loaded with every fixture: point
// whoisctx at it with WhoisServer = WHOIS.Addr(), RDAPURL = RDAP.URL(),
// DNSServers = [DNS.Addr()].
type Registry struct {
	WHOIS *WHOIS
	RDAP  *RDAP
	DNS   *DNS
}

// StartRegistry starts and loads the three fakes.
func StartRegistry() (*Registry, error) {
	r := &Registry{}
	var err error
	if r.WHOIS, err = StartWHOIS(); err != nil {
		return nil, err
	}
	if r.RDAP, err = StartRDAP(); err != nil {
		_ = r.Close()
		return nil, err
	}
	if r.DNS, err = StartDNS(); err != nil {
		_ = r.Close()
		return nil, err
	}
	if err := r.load(); err != nil {
		_ = r.Close()
		return nil, err
	}
	return r, nil
}

// Close stops whatever was started.
func (r *Registry) Close() error {
	var errs []error
	if r.WHOIS != nil {
		errs = append(errs, r.WHOIS.Close())
	}
	if r.RDAP != nil {
		errs = append(errs, r.RDAP.Close())
	}
	if r.DNS != nil {
		errs = append(errs, r.DNS.Close())
	}
	return errors.Join(errs...)
}

func (r *Registry) load() error {
	for _, n := range Networks {
		if err := r.addNetwork(n.Prefix, File(n.WHOIS), rdapBody(n.RDAP), n.Origin, n.Abusix); err != nil {
			return fmt.Errorf("whoistest: %s: %w", n.Name, err)
		}
	}
	for _, d := range DocNetworks {
		if err := r.AddVariant(d); err != nil {
			return err
		}
	}
	r.WHOIS.Route(RegistrarWhoisDomain, Reply{Text: File("registrar.txt")})
	r.RDAP.Route(RegistrarDomain, RDAPReply{Body: File("rdap-domain.json")})
	return r.DNS.ASName(2856, "2856 | GB | ripencc | 1996-05-23 | BT-UK-AS BTnet UK Regional network, GB")
}

func rdapBody(name string) string {
	if name == "" {
		return ""
	}
	return File(name)
}

// AddVariant routes v.Prefix on all three fakes (WHOIS, RDAP, the DNS
// sources) to v's answers; a more specific prefix wins over the loaded
// ones, as in the registries.
func (r *Registry) AddVariant(v Variant) error {
	whois, rdap, err := v.Answers()
	if err != nil {
		return err
	}
	return r.addNetwork(v.Prefix, whois, rdap, v.Origin, v.Abusix)
}

// addNetwork routes prefix on all three fakes.
func (r *Registry) addNetwork(p netip.Prefix, whois, rdap, origin, abusix string) error {
	r.WHOIS.Route(p.String(), Reply{Text: whois})
	if rdap != "" {
		r.RDAP.Route(p.String(), RDAPReply{Body: rdap})
	}
	if origin != "" {
		r.DNS.Origin(p, origin)
	}
	if abusix != "" {
		r.DNS.Abusix(p, abusix)
	}
	return nil
}
