package whoisctx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/openrdap/rdap"
	"golang.org/x/net/publicsuffix"
)

// domainAnswer is what registrars and abuse.net said about one
// registrable domain; it is what the cache stores.
type domainAnswer struct {
	Servers    string      `json:"servers,omitempty"` // see cacheNamespace
	Contacts   []Contact   `json:"contacts"`
	Raw        []RawAnswer `json:"raw,omitempty"`
	Warnings   []string    `json:"warnings,omitempty"`
	Incomplete bool        `json:"incomplete,omitempty"`
}

func (a *domainAnswer) warn(format string, args ...any) {
	a.Warnings = append(a.Warnings, fmt.Sprintf(format, args...))
}

// registrable reduces a host name to the domain its owner registered
// (publicsuffix: mail.example.co.uk -> example.co.uk).
func registrable(name string) (string, error) {
	d, err := publicsuffix.EffectiveTLDPlusOne(strings.ToLower(strings.TrimSuffix(name, ".")))
	if err != nil {
		return "", fmt.Errorf("registrable domain of %q: %w", name, err)
	}
	return d, nil
}

// lookupDomain fills res for a domain query.
func (f *Finder) lookupDomain(r *run, name string, res *Result) {
	d, err := registrable(name)
	if err != nil {
		res.Warnings = append(res.Warnings, err.Error())
		return
	}
	res.Domain = d
	if why := specialDomain(d); why != "" && !f.cfg.LookupSpecial {
		res.Local = why
		return
	}
	f.applyDomain(r, d, res)
}

// hostDomainPart adds the domain contacts of addr's forward-confirmed
// reverse name. A bare HELO name proves nothing (anyone can say anything
// in HELO), and abuse.net's terms allow automated queries only for a
// validated reverse name.
func (f *Finder) hostDomainPart(r *run, addr netip.Addr, res *Result) {
	var name string
	var err error
	r.work(func(ctx context.Context) { name, err = f.confirmedName(ctx, addr) })
	if err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("reverse name: %v", err))
	}
	if name == "" {
		return
	}
	res.ReverseName = name
	d, err := registrable(name)
	if err != nil {
		res.Warnings = append(res.Warnings, err.Error())
		return
	}
	res.Domain = d
	if specialDomain(d) != "" && !f.cfg.LookupSpecial {
		return
	}
	f.applyDomain(r, d, res)
}

// maxPTR bounds how many reverse names we try to confirm.
const maxPTR = 4

// confirmedName returns the first PTR name of addr that resolves back to
// addr (forward-confirmed reverse DNS), or "".
func (f *Finder) confirmedName(ctx context.Context, addr netip.Addr) (string, error) {
	names, err := f.dns.PTR(ctx, addr)
	if err != nil {
		return "", err
	}
	for i, n := range names {
		if i == maxPTR {
			break
		}
		if !validHostname(n) {
			continue
		}
		addrs, err := f.dns.Addrs(ctx, n, addr)
		if err == nil && slices.Contains(addrs, addr.Unmap()) {
			return n, nil
		}
	}
	return "", nil
}

func (f *Finder) applyDomain(r *run, d string, res *Result) {
	a := f.domainPart(r, d)
	res.Contacts = append(res.Contacts, a.Contacts...)
	res.Raw = append(res.Raw, a.Raw...)
	res.Warnings = append(res.Warnings, a.Warnings...)
	res.Incomplete = res.Incomplete || a.Incomplete
}

// domainPart answers from the cache or asks RDAP, WHOIS and abuse.net,
// one lookup per domain at a time so that concurrent probers with the same
// reverse domain cost one query.
func (f *Finder) domainPart(r *run, d string) *domainAnswer {
	if a, ok := f.cachedDomain(r.parent, d); ok {
		return a
	}
	a := &domainAnswer{}
	unlock, err := f.lockRegistry(r.parent, "domain "+d)
	if err != nil {
		a.warn("%v", err)
		return a
	}
	defer unlock()
	if c, ok := f.cachedDomain(r.parent, d); ok {
		return c
	}
	r.work(func(ctx context.Context) { f.askDomain(ctx, d, a) })
	a.Servers = f.cacheNamespace()
	if !a.Incomplete {
		if b, err := json.Marshal(a); err == nil {
			_ = f.cache.PutDomain(r.parent, d, b, f.now().Add(f.cfg.CacheTTL))
		}
	}
	return a
}

// askDomain runs the domain sources: RDAP, WHOIS when RDAP named no
// registrar contact, abuse.net. When neither an RDAP nor a WHOIS server is
// known for the TLD, the answer is incomplete: the registrar was not asked.
func (f *Finder) askDomain(ctx context.Context, d string, a *domainAnswer) {
	asked := false
	if !f.cfg.SkipRDAP {
		asked = f.rdapDomain(ctx, d, a)
	}
	if !f.cfg.SkipWhois && !hasContactRole(a.Contacts, RoleRegistrar) {
		asked = f.whoisDomain(ctx, d, a) || asked
	}
	if !asked && (!f.cfg.SkipRDAP || !f.cfg.SkipWhois) {
		a.Incomplete = true
		a.warn("no registry known for %s: neither the IANA bootstrap (dns.json of %s) nor our WHOIS list names a server for .%s, so its registrar was not asked",
			d, f.boot.date("dns.json").UTC().Format(time.DateOnly), tld(d))
	}
	if f.dns != nil {
		cs, raw, err := lookupAbuseNet(ctx, *f.dns, d)
		a.Raw = append(a.Raw, raw)
		if err != nil {
			a.warn("abuse.net: %v", err)
		}
		a.Contacts = append(a.Contacts, cs...)
	}
}

func tld(d string) string { return d[strings.LastIndexByte(d, '.')+1:] }

func hasContactRole(cs []Contact, r Role) bool {
	return slices.ContainsFunc(cs, func(c Contact) bool { return c.Role == r })
}

// rdapDomain collects the registrar's abuse contact from RDAP and reports
// whether a registry was asked.
func (f *Finder) rdapDomain(ctx context.Context, d string, a *domainAnswer) bool {
	urls := f.boot.domainURLs(d)
	if len(urls) == 0 && f.cfg.RDAPURL == "" {
		a.warn("rdap: no RDAP server known for .%s in the IANA bootstrap (dns.json of %s)",
			tld(d), f.boot.date("dns.json").UTC().Format(time.DateOnly))
		return false
	}
	base, err := f.rdapBase(urls)
	if err != nil {
		a.warn("rdap %s: %v", d, err)
		return false
	}
	if f.cfg.RDAPURL == "" {
		f.noteBootstrap("dns.json", &a.Warnings)
	}
	ans, err := f.rdapDo(ctx, rdap.NewDomainRequest(d), base)
	a.Raw = append(a.Raw, ans.raw)
	if err != nil {
		a.Incomplete = true
		a.warn("rdap %s: %v", base.Host, err)
		return true
	}
	dom, ok := ans.obj.(*rdap.Domain)
	if !ok {
		return true
	}
	for _, fd := range rdapAbuse(dom.Entities) {
		if c := fd.contact(RoleDomain, ans.raw); c.Address != "" {
			a.Contacts = append(a.Contacts, c)
		}
	}
	return true
}

// whoisDomain asks the TLD's WHOIS server (or the override) for the
// registrar's abuse contact and reports whether a server was asked.
func (f *Finder) whoisDomain(ctx context.Context, d string, a *domainAnswer) bool {
	server := f.cfg.WhoisServer
	if server == "" {
		server = tldWhoisServers[tld(d)]
	}
	if server == "" {
		return false
	}
	raw, err := f.whoisQuery(ctx, server, d)
	fd := ParseWhois(raw.Text)
	raw.RateLimited = fd.RateLimited
	a.Raw = append(a.Raw, raw)
	if fd.RateLimited {
		hp, _ := hostPort(server, "43")
		f.lim.rateLimited(hp, 0)
		a.Incomplete = true
		a.warn("whois %s: rate limited (%v)", server, ErrRateLimited)
		return true
	}
	if err != nil {
		a.Incomplete = true
		a.warn("%v", err)
	}
	for _, w := range fd.Found {
		if w.Role == RoleRegistrar {
			a.Contacts = append(a.Contacts, w.contact(raw))
		}
	}
	return true
}

func (f *Finder) cachedDomain(ctx context.Context, d string) (*domainAnswer, bool) {
	b, ok, err := f.cache.GetDomain(ctx, d, f.now())
	if err != nil || !ok {
		return nil, false
	}
	var a domainAnswer
	if json.Unmarshal(b, &a) != nil || a.Servers != f.cacheNamespace() {
		return nil, false
	}
	return &a, true
}
