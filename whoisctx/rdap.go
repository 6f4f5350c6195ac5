package whoisctx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openrdap/rdap"
)

// rdapAnswer is one RDAP exchange: the decoded object, the raw evidence
// and whether the server refused us for rate.
type rdapAnswer struct {
	obj         any
	raw         RawAnswer
	rateLimited bool
	notFound    bool
}

// rdapBase picks the server: the override, else the first https URL the
// bootstrap names.
func (f *Finder) rdapBase(urls []*url.URL) (*url.URL, error) {
	if f.cfg.RDAPURL != "" {
		return url.Parse(f.cfg.RDAPURL)
	}
	for _, u := range urls {
		if u.Scheme == "https" {
			return u, nil
		}
	}
	if len(urls) > 0 {
		return urls[0], nil
	}
	return nil, ErrNoServer
}

// maxRedirects bounds how many RDAP redirects one query follows (an RIR
// refers a transferred block to the registry that holds it, RFC 7480 §5.2).
const maxRedirects = 3

// rdapDo runs req against base with our own deadline (openrdap's
// QueryIP/QueryDomain use a fixed 30 s), one query at a time per server.
// Redirects are not left to net/http (which would follow them to any host,
// over plain http, past our per-server limits): each one is checked by
// checkRedirect and then asked like any query, under its host's limiter.
func (f *Finder) rdapDo(ctx context.Context, req *rdap.Request, base *url.URL) (rdapAnswer, error) {
	req = req.WithServer(base)
	var from []string
	for hop := 0; ; hop++ {
		out, next, err := f.rdapOnce(ctx, req)
		out.raw.RedirectedFrom = strings.Join(from, " ")
		if next == nil || err == nil {
			return out, err
		}
		if hop == maxRedirects {
			err = fmt.Errorf("rdap %s: more than %d redirects, the last to %s", out.raw.Server, maxRedirects, next.Redacted())
		} else {
			err = f.checkRedirect(next)
		}
		if err != nil {
			out.raw.Error = err.Error()
			return out, err
		}
		from = append(from, out.raw.Query)
		req = &rdap.Request{Type: rdap.RawRequest, Server: next}
	}
}

// rdapOnce sends one request under its host's limiter. next is the
// target of a redirect answer (3xx with Location), still unchecked.
func (f *Finder) rdapOnce(ctx context.Context, req *rdap.Request) (out rdapAnswer, next *url.URL, err error) {
	host := req.Server.Host
	out = rdapAnswer{raw: RawAnswer{Source: SourceRDAP, Server: host, Query: req.URL().String()}}
	release, err := f.lim.acquire(ctx, host)
	if err != nil {
		out.raw.Error = err.Error()
		return out, nil, err
	}
	defer release()
	qctx, cancel := context.WithTimeout(ctx, f.cfg.QueryTimeout)
	defer cancel()
	client := &rdap.Client{HTTP: f.http, UserAgent: "dnsblaudit (abuse contact lookup)"}
	resp, err := client.Do(req.WithContext(qctx))
	f.rdapEvidence(resp, &out)
	if next = redirectTarget(resp, req.URL()); next != nil {
		f.lim.succeeded(host)
		return out, next, fmt.Errorf("rdap %s: redirected to %s", host, next.Redacted())
	}
	if out.rateLimited {
		until := f.lim.rateLimited(host, retryAfter(resp))
		err = fmt.Errorf("rdap %s: HTTP 429, backing off until %s: %w", host, until.UTC().Format(time.RFC3339), ErrRateLimited)
	} else if err == nil {
		f.lim.succeeded(host)
	}
	var ce *rdap.ClientError
	if errors.As(err, &ce) && ce.Type == rdap.ObjectDoesNotExist {
		out.notFound, err = true, nil
	}
	if err != nil {
		out.raw.Error = err.Error()
		return out, nil, err
	}
	out.obj = resp.Object
	return out, nil, nil
}

// redirectTarget returns the Location of a redirect answer, resolved
// against the request URL, or nil.
func redirectTarget(resp *rdap.Response, reqURL *url.URL) *url.URL {
	if resp == nil || len(resp.HTTP) == 0 {
		return nil
	}
	h := resp.HTTP[len(resp.HTTP)-1]
	if h == nil || h.Response == nil {
		return nil
	}
	switch h.Response.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil
	}
	loc := h.Response.Header.Get("Location")
	if loc == "" {
		return nil
	}
	u, err := url.Parse(loc)
	if err != nil {
		return nil
	}
	return reqURL.ResolveReference(u)
}

// checkRedirect lets a redirect through only to https and only to a host
// the IANA bootstrap names as an RDAP service (or, with Config.RDAPURL, to
// that server itself): a registry answer must never send us to a host of a
// stranger's choosing, nor downgrade to plain http.
func (f *Finder) checkRedirect(u *url.URL) error {
	host := strings.ToLower(u.Hostname())
	if f.cfg.RDAPURL != "" {
		if o, err := url.Parse(f.cfg.RDAPURL); err == nil && u.Scheme == o.Scheme && strings.EqualFold(u.Host, o.Host) {
			return nil
		}
		return fmt.Errorf("rdap redirect to %s refused: not the configured server %s: %w", u.Redacted(), f.cfg.RDAPURL, ErrBadRedirect)
	}
	if u.Scheme != "https" {
		return fmt.Errorf("rdap redirect to %s refused: not https: %w", u.Redacted(), ErrBadRedirect)
	}
	if u.User != nil || (u.Port() != "" && u.Port() != "443") {
		// Another port would also be another limiter slot.
		return fmt.Errorf("rdap redirect to %s refused: credentials or a port other than 443: %w", u.Redacted(), ErrBadRedirect)
	}
	if !f.boot.hosts[host] && !rdapRegistryHosts[host] {
		return fmt.Errorf("rdap redirect to %s refused: %s is not an RDAP server in the IANA bootstrap: %w", u.Redacted(), host, ErrBadRedirect)
	}
	return nil
}

// rdapEvidence keeps the last body as raw text and spots HTTP 429.
func (f *Finder) rdapEvidence(resp *rdap.Response, out *rdapAnswer) {
	if resp == nil {
		return
	}
	for _, h := range resp.HTTP {
		if h == nil {
			continue
		}
		if h.Response != nil && h.Response.StatusCode == http.StatusTooManyRequests {
			out.rateLimited = true
			out.raw.RateLimited = true
		}
		if errors.Is(h.Error, ErrTooLarge) {
			out.raw.Truncated = true
		}
		out.raw.Text = toUTF8(string(h.Body))
	}
}

// retryAfter reads a Retry-After in seconds (RFC 9110 §10.2.3).
func retryAfter(resp *rdap.Response) time.Duration {
	if resp == nil {
		return 0
	}
	for _, h := range resp.HTTP {
		if h != nil && h.Response != nil {
			if s, err := strconv.Atoi(h.Response.Header.Get("Retry-After")); err == nil && s > 0 {
				return time.Duration(s) * time.Second
			}
		}
	}
	return 0
}

// rdapRegistryURLs are the RIRs' RDAP base URLs, keyed like Team Cymru's
// registry field.
var rdapRegistryURLs = map[string]string{
	"arin":    "https://rdap.arin.net/registry/",
	"ripencc": "https://rdap.db.ripe.net/",
	"apnic":   "https://rdap.apnic.net/",
	"lacnic":  "https://rdap.lacnic.net/rdap/",
	"afrinic": "https://rdap.afrinic.net/rdap/",
}

// rdapRegistryHosts are the hosts of rdapRegistryURLs.
var rdapRegistryHosts = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range rdapRegistryURLs {
		if u, err := url.Parse(s); err == nil {
			m[u.Hostname()] = true
		}
	}
	return m
}()

// ipRDAPURLs prefers the registry Team Cymru names, which follows
// inter-RIR transfers (an APNIC /8 block now held in the ARIN region), and
// falls back to the IANA bootstrap, which knows only the original
// allocation. fromBootstrap says the bootstrap chose.
func (f *Finder) ipRDAPURLs(addr netip.Addr, registry string) (urls []*url.URL, fromBootstrap bool) {
	if s, ok := rdapRegistryURLs[registry]; ok {
		if u, err := url.Parse(s); err == nil {
			return []*url.URL{u}, false
		}
	}
	return f.boot.ipURLs(addr), true
}

// rdapIP asks RDAP for addr's network and collects its abuse entities. It
// reports whether a registry was asked (successfully or not).
func (f *Finder) rdapIP(ctx context.Context, addr netip.Addr, ans *networkAnswer) bool {
	urls, fromBootstrap := f.ipRDAPURLs(addr, ans.Registry)
	base, err := f.rdapBase(urls)
	if err != nil {
		ans.warn("rdap %s: %v", addr, err)
		return false
	}
	if fromBootstrap && f.cfg.RDAPURL == "" {
		f.noteBootstrap(ipFile(addr), &ans.Warnings)
	}
	if ans.Registry == "" {
		ans.Registry = registryFromHost(base.Hostname())
	}
	a, err := f.rdapDo(ctx, rdap.NewIPRequest(addr.AsSlice()), base)
	ans.Raw = append(ans.Raw, a.raw)
	if err != nil {
		ans.RateLimited = ans.RateLimited || a.rateLimited
		ans.Incomplete = true
		ans.warn("rdap %s: %v", base.Host, err)
		return true
	}
	n, ok := a.obj.(*rdap.IPNetwork)
	if !ok {
		if !a.notFound {
			ans.warn("rdap %s: answer is not an IP network", base.Host)
		}
		return true
	}
	f.applyIPNetwork(addr, n, a.raw, ans)
	return true
}

// noteBootstrap adds, once, the warning that the bootstrap file name which
// chose a server for this answer is old.
func (f *Finder) noteBootstrap(name string, warnings *[]string) {
	w := f.boot.staleWarning(name, f.now())
	if w != "" && !slices.Contains(*warnings, w) {
		*warnings = append(*warnings, w)
	}
}

func (f *Finder) applyIPNetwork(addr netip.Addr, n *rdap.IPNetwork, raw RawAnswer, ans *networkAnswer) {
	first, err1 := netip.ParseAddr(n.StartAddress)
	last, err2 := netip.ParseAddr(n.EndAddress)
	if err1 == nil && err2 == nil {
		if p, ok := rangePrefix(addr, first, last); ok {
			ans.netRange = p
		}
	}
	ans.NetName = n.Name
	if ans.Country == "" {
		ans.Country = n.Country
	}
	found := rdapAbuse(n.Entities)
	ans.ambiguousRDAP = ambiguousAbuse(found)
	for _, fd := range found {
		c := fd.contact(RoleNetwork, raw)
		if c.Address == "" {
			continue
		}
		ans.Contacts = append(ans.Contacts, c)
	}
	for _, d := range droppedPlaceholders(found) {
		ans.warn("rdap %s: placeholder %s ignored", raw.Server, d)
	}
	if !ans.hasContact() {
		ans.Contacts = append(ans.Contacts, rdapTechFallback(n.Entities, raw)...)
	}
}
