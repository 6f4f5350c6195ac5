package whoisctx

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"time"
)

// networkAnswer is what the registries said about one covering prefix;
// it is what the cache stores.
type networkAnswer struct {
	Servers     string      `json:"servers,omitempty"` // cacheNamespace of the Finder that asked
	Prefix      string      `json:"prefix"`
	ASN         uint32      `json:"asn,omitempty"`
	ASName      string      `json:"as_name,omitempty"`
	Country     string      `json:"country,omitempty"`
	Registry    string      `json:"registry,omitempty"`
	NetName     string      `json:"net_name,omitempty"`
	Contacts    []Contact   `json:"contacts"`
	Raw         []RawAnswer `json:"raw,omitempty"`
	Warnings    []string    `json:"warnings,omitempty"`
	RateLimited bool        `json:"rate_limited,omitempty"`
	// Incomplete: a source failed (timeout, rate limit); such an answer is
	// cached only when it has a contact, and then only for partialTTL.
	Incomplete bool `json:"incomplete,omitempty"`

	// netRange is the registry's network range (RDAP or WHOIS).
	netRange netip.Prefix
	// transferFollowed: a transferred-range stub was followed once already.
	transferFollowed bool
	// noRegistry: no registry was known for the address, so none was
	// asked; such an answer is never cached, whatever else it holds.
	noRegistry bool
	// ambiguousRDAP: RDAP's abuse entity listed several addresses without
	// a pref, so WHOIS is asked for the registry's own abuse contact too.
	ambiguousRDAP bool
}

func (a *networkAnswer) warn(format string, args ...any) {
	a.Warnings = append(a.Warnings, fmt.Sprintf(format, args...))
}

func (a *networkAnswer) hasContact() bool {
	for _, c := range a.Contacts {
		if c.Role == RoleNetwork && !c.NeedsReview {
			return true
		}
	}
	return false
}

// lookupIP fills res for one address.
func (f *Finder) lookupIP(r *run, addr netip.Addr, res *Result) {
	if why := specialAddr(addr); why != "" && !f.cfg.LookupSpecial {
		res.Local = why
		return
	}
	ans, cached := f.networkPart(r, addr)
	ans.applyTo(res)
	res.Cached = cached
	if !f.cfg.SkipDomain && f.dns != nil {
		f.hostDomainPart(r, addr, res)
	}
}

func (a *networkAnswer) applyTo(res *Result) {
	res.Prefix, res.ASN, res.ASName = a.Prefix, a.ASN, a.ASName
	res.Country, res.Registry, res.NetName = a.Country, a.Registry, a.NetName
	res.Contacts = append(res.Contacts, a.Contacts...)
	res.Raw = append(res.Raw, a.Raw...)
	res.Warnings = append(res.Warnings, a.Warnings...)
	res.RateLimited = res.RateLimited || a.RateLimited
	res.Incomplete = res.Incomplete || a.Incomplete
}

// networkPart answers from the cache, or asks Team Cymru, then the
// registry (under that registry's lock, re-checking the cache first), and
// caches complete answers by covering prefix.
func (f *Finder) networkPart(r *run, addr netip.Addr) (*networkAnswer, bool) {
	if a, ok := f.cachedNetwork(r.parent, addr); ok {
		return a, true
	}
	ans := &networkAnswer{}
	var origin Origin
	if f.dns != nil {
		r.work(func(ctx context.Context) {
			var raw RawAnswer
			var err error
			origin, raw, err = lookupOrigin(ctx, *f.dns, addr)
			ans.Raw = append(ans.Raw, raw)
			if err != nil {
				ans.warn("team cymru origin: %v", err)
			}
		})
	}
	unlock, err := f.lockRegistry(r.parent, f.registryKey(addr, origin))
	if err != nil {
		ans.warn("%v", err)
		ans.Incomplete = true
		return ans, false
	}
	defer unlock()
	if a, ok := f.cachedNetwork(r.parent, addr); ok {
		return a, true
	}
	r.work(func(ctx context.Context) { f.askRegistries(ctx, addr, origin, ans) })
	f.storeNetwork(r.parent, addr, origin, ans)
	return ans, false
}

// registryKey names the registry lock: the override server when set, else
// the registry Team Cymru or the bootstrap names.
func (f *Finder) registryKey(addr netip.Addr, o Origin) string {
	switch {
	case f.cfg.WhoisServer != "" || f.cfg.RDAPURL != "":
		return "override"
	case o.Registry != "":
		return o.Registry
	}
	if urls := f.boot.ipURLs(addr); len(urls) > 0 {
		return registryFromHost(urls[0].Hostname())
	}
	return "unknown"
}

// askRegistries runs the sources in the order that works: RDAP, then WHOIS
// when RDAP gave no abuse contact, then Abusix as cross-check and fallback.
// When no registry could be asked at all (Team Cymru silent and the
// address outside the bootstrap), the answer is incomplete, not "no
// contact": nobody who could know was asked.
func (f *Finder) askRegistries(ctx context.Context, addr netip.Addr, o Origin, ans *networkAnswer) {
	ans.ASN, ans.Country, ans.Registry = o.ASN, o.Country, o.Registry
	if o.ASN != 0 && f.dns != nil {
		if name, err := lookupASName(ctx, *f.dns, o.ASN); err == nil {
			ans.ASName = name
		}
	}
	asked := false
	if !f.cfg.SkipRDAP {
		asked = f.rdapIP(ctx, addr, ans)
	}
	if !f.cfg.SkipWhois && (!ans.hasContact() || ans.ambiguousRDAP) {
		asked = f.whoisIP(ctx, addr, ans) || asked
	}
	if f.dns != nil {
		cs, raw, err := lookupAbusix(ctx, *f.dns, addr)
		ans.Raw = append(ans.Raw, raw)
		if err != nil {
			ans.warn("abusix: %v", err)
		}
		ans.Contacts = append(ans.Contacts, cs...)
	}
	switch {
	case !asked && (!f.cfg.SkipRDAP || !f.cfg.SkipWhois):
		ans.Incomplete, ans.noRegistry = true, true
		ans.warn("no registry known for %s: Team Cymru named none and the IANA bootstrap (%s of %s) has no registry for it, so no registry was asked",
			addr, ipFile(addr), f.boot.date(ipFile(addr)).UTC().Format(time.DateOnly))
	case asked && !ans.hasContact() && !ans.RateLimited:
		ans.warn("no abuse contact registered for %s", addr)
	}
}

// partialTTL bounds the cache life of an answer one source failed to
// complete.
const partialTTL = time.Hour

// cacheKey is the more specific of the registry's range and Team Cymru's
// prefix (both contain addr), else addr alone: a cached answer must never
// cover an address the registry did not describe.
func cacheKey(addr netip.Addr, o Origin, ans *networkAnswer) netip.Prefix {
	best := netip.PrefixFrom(addr, addr.BitLen())
	var candidates []netip.Prefix
	for _, p := range []netip.Prefix{ans.netRange, o.Prefix} {
		if p.IsValid() && p.Contains(addr) {
			candidates = append(candidates, p)
		}
	}
	if len(candidates) == 0 {
		return best
	}
	best = candidates[0]
	for _, p := range candidates[1:] {
		if p.Bits() > best.Bits() {
			best = p
		}
	}
	return best
}

func (f *Finder) storeNetwork(ctx context.Context, addr netip.Addr, o Origin, ans *networkAnswer) {
	key := cacheKey(addr, o, ans)
	ans.Prefix = key.String()
	ans.Servers = f.cacheNamespace()
	if ans.noRegistry {
		return // nobody who could know was asked: ask again next time
	}
	ttl := f.cfg.CacheTTL
	if ans.Incomplete || ans.RateLimited {
		if !ans.hasContact() {
			return // never cache a failure as "no contact"
		}
		// A contact from the source that did answer is worth keeping, but
		// the failed source deserves another chance soon.
		ttl = min(ttl, partialTTL)
	}
	b, err := json.Marshal(ans)
	if err != nil {
		return
	}
	if err := f.cache.PutPrefix(ctx, key, b, f.now().Add(ttl)); err != nil {
		ans.warn("cache: %v", err)
	}
}

func (f *Finder) cachedNetwork(ctx context.Context, addr netip.Addr) (*networkAnswer, bool) {
	_, b, ok, err := f.cache.GetPrefix(ctx, addr, f.now())
	if err != nil || !ok {
		return nil, false
	}
	var a networkAnswer
	if json.Unmarshal(b, &a) != nil || a.Servers != f.cacheNamespace() {
		return nil, false
	}
	return &a, true
}

// cacheNamespace tells answers from the public registries apart from
// answers of a server named with WhoisServer/RDAPURL (a private registry,
// the demo's fakes): one must never be served for the other from a shared
// state file.
func (f *Finder) cacheNamespace() string {
	if f.cfg.WhoisServer == "" && f.cfg.RDAPURL == "" {
		return ""
	}
	return "whois=" + f.cfg.WhoisServer + " rdap=" + f.cfg.RDAPURL
}
