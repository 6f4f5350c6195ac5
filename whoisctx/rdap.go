package whoisctx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
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

// rdapDo runs req against base with our own deadline (openrdap's
// QueryIP/QueryDomain use a fixed 30 s), one query at a time per server.
func (f *Finder) rdapDo(ctx context.Context, req *rdap.Request, base *url.URL) (rdapAnswer, error) {
	req = req.WithServer(base)
	out := rdapAnswer{raw: RawAnswer{Source: SourceRDAP, Server: base.Host, Query: req.URL().String()}}
	release, err := f.lim.acquire(ctx, base.Host)
	if err != nil {
		out.raw.Error = err.Error()
		return out, err
	}
	defer release()
	qctx, cancel := context.WithTimeout(ctx, f.cfg.QueryTimeout)
	defer cancel()
	client := &rdap.Client{HTTP: f.http, UserAgent: "dnsblaudit (abuse contact lookup)"}
	resp, err := client.Do(req.WithContext(qctx))
	f.rdapEvidence(resp, &out)
	if out.rateLimited {
		until := f.lim.rateLimited(base.Host, retryAfter(resp))
		err = fmt.Errorf("rdap %s: HTTP 429, backing off until %s: %w", base.Host, until.UTC().Format(time.RFC3339), ErrRateLimited)
	} else if err == nil {
		f.lim.succeeded(base.Host)
	}
	var ce *rdap.ClientError
	if errors.As(err, &ce) && ce.Type == rdap.ObjectDoesNotExist {
		out.notFound, err = true, nil
	}
	if err != nil {
		out.raw.Error = err.Error()
		return out, err
	}
	out.obj = resp.Object
	return out, nil
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

// ipRDAPURLs prefers the registry Team Cymru names, which follows
// inter-RIR transfers (an APNIC /8 block now held in the ARIN region), and
// falls back to the IANA bootstrap, which knows only the original
// allocation.
func (f *Finder) ipRDAPURLs(addr netip.Addr, registry string) []*url.URL {
	if s, ok := rdapRegistryURLs[registry]; ok {
		if u, err := url.Parse(s); err == nil {
			return []*url.URL{u}
		}
	}
	return f.boot.ipURLs(addr)
}

// rdapIP asks RDAP for addr's network and collects its abuse entities.
func (f *Finder) rdapIP(ctx context.Context, addr netip.Addr, ans *networkAnswer) {
	base, err := f.rdapBase(f.ipRDAPURLs(addr, ans.Registry))
	if err != nil {
		ans.warn("rdap %s: %v", addr, err)
		return
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
		return
	}
	n, ok := a.obj.(*rdap.IPNetwork)
	if !ok {
		if !a.notFound {
			ans.warn("rdap %s: answer is not an IP network", base.Host)
		}
		return
	}
	f.applyIPNetwork(addr, n, a.raw, ans)
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
}
