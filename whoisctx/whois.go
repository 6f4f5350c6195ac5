package whoisctx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/likexian/whois"
)

// whoisQuery asks server (host or host:port) for query on port 43. We
// choose the server (from Team Cymru, the bootstrap, or the override) and
// never follow a referral found in the text: the library matches referral
// tokens anywhere, so a "whois: " inside a remarks line could send us to a
// server of the registrant's choosing. The text is kept even when the
// query ends in an error (a truncated or timed-out answer is still
// evidence).
func (f *Finder) whoisQuery(ctx context.Context, server, query string) (RawAnswer, error) {
	hp, err := hostPort(server, "43")
	raw := RawAnswer{Source: SourceWhois, Server: server, Query: query}
	if err != nil {
		raw.Error = err.Error()
		return raw, err
	}
	release, err := f.lim.acquire(ctx, hp)
	if err != nil {
		raw.Error = err.Error()
		return raw, err
	}
	defer release()
	qctx, cancel := context.WithTimeout(ctx, f.cfg.QueryTimeout)
	defer cancel()
	d := &whoisDialer{ctx: qctx, timeout: f.cfg.QueryTimeout, max: f.cfg.MaxResponseBytes}
	client := whois.NewClient().SetDialer(d).SetTimeout(f.cfg.QueryTimeout).
		SetDisableReferral(true).SetDisableStats(true)
	dial := hp
	if f.whoisAddr != nil {
		dial = f.whoisAddr(hp)
	}
	text, err := client.Whois(query, dial)
	raw.Text = toUTF8(text)
	raw.Truncated = d.truncated.Load()
	if raw.Truncated {
		err = fmt.Errorf("whois %s: answer truncated at %d bytes: %w", server, f.cfg.MaxResponseBytes, ErrTooLarge)
	} else if err != nil {
		err = fmt.Errorf("whois %s: %w", server, err)
	}
	if err != nil {
		raw.Error = err.Error()
	}
	return raw, err
}

// whoisIPQuery is the query text for addr at the registry: ARIN wants
// "n + <ip>" (network, full details); the library adds it by itself only
// when the server is literally whois.arin.net.
func whoisIPQuery(addr netip.Addr, registry, server string) string {
	host, _, err := net.SplitHostPort(server)
	if err != nil {
		host = server
	}
	if registry == "arin" && !strings.EqualFold(host, "whois.arin.net") {
		return "n + " + addr.String()
	}
	return addr.String()
}

// whoisServerFor picks the WHOIS server for addr: the override, else the
// registry Team Cymru or the RDAP bootstrap named. fromBootstrap says the
// bootstrap chose the registry.
func (f *Finder) whoisServerFor(addr netip.Addr, registry string) (server, reg string, fromBootstrap bool) {
	if registry == "" {
		if urls := f.boot.ipURLs(addr); len(urls) > 0 {
			registry, fromBootstrap = registryFromHost(urls[0].Hostname()), true
		}
	}
	if f.cfg.WhoisServer != "" {
		return f.cfg.WhoisServer, registry, false
	}
	return whoisServers[registry], registry, fromBootstrap
}

// whoisIP asks the registry's WHOIS server and adds what the parser found.
// It reports whether a registry was asked (successfully or not).
func (f *Finder) whoisIP(ctx context.Context, addr netip.Addr, ans *networkAnswer) bool {
	server, registry, fromBootstrap := f.whoisServerFor(addr, ans.Registry)
	if server == "" {
		ans.warn("whois %s: %v", addr, ErrNoServer)
		return false
	}
	if fromBootstrap {
		f.noteBootstrap(ipFile(addr), &ans.Warnings)
	}
	raw, err := f.whoisQuery(ctx, server, whoisIPQuery(addr, registry, server))
	fd := ParseWhois(raw.Text)
	raw.RateLimited = fd.RateLimited
	ans.Raw = append(ans.Raw, raw)
	if fd.RateLimited {
		f.rateLimitedWhois(server, ans)
		return true
	}
	if err == nil && strings.TrimSpace(raw.Text) == "" {
		// Some servers hang up without a word when they refuse a client.
		err = fmt.Errorf("whois %s: empty answer: %w", server, ErrEmptyAnswer)
	}
	if err != nil {
		ans.warn("%v", err)
		if !errors.Is(err, ErrTooLarge) {
			ans.Incomplete = true
		}
	}
	f.applyWhois(addr, fd, raw, ans)
	if next := f.transferTarget(fd, registry); next != "" && !ans.transferFollowed {
		ans.transferFollowed = true
		ans.warn("whois %s: range transferred to %s; asking %s", server, next, whoisServers[next])
		ans.Registry = next
		f.whoisIP(ctx, addr, ans)
	}
	return true
}

// transferTarget names the registry to ask after a transferred-range stub,
// once, and only when we chose the server ourselves.
func (f *Finder) transferTarget(fd WhoisFindings, asked string) string {
	if !fd.Stub || f.cfg.WhoisServer != "" || fd.TransferredTo == asked || whoisServers[fd.TransferredTo] == "" {
		return ""
	}
	return fd.TransferredTo
}

// rateLimitedWhois records a refusal: it is reported and backed off from,
// never taken as "no contact".
func (f *Finder) rateLimitedWhois(server string, ans *networkAnswer) {
	hp, _ := hostPort(server, "43")
	until := f.lim.rateLimited(hp, 0)
	ans.RateLimited, ans.Incomplete = true, true
	ans.warn("whois %s: rate limited (%v); backing off until %s", server, ErrRateLimited, until.UTC().Format(time.RFC3339))
}

func (f *Finder) applyWhois(addr netip.Addr, fd WhoisFindings, raw RawAnswer, ans *networkAnswer) {
	if fd.First.IsValid() && !ans.netRange.IsValid() {
		if p, ok := rangePrefix(addr, fd.First, fd.Last); ok {
			ans.netRange = p
		}
	}
	if ans.NetName == "" {
		ans.NetName = fd.NetName
	}
	if fd.Stub {
		ans.warn("whois %s: %s is a transferred-range stub; the holder's registry has the contact", raw.Server, fd.NetName)
	}
	if fd.NoAbuse {
		ans.warn("whois %s: the registry has no abuse contact for this network", raw.Server)
	}
	for _, p := range fd.Placeholders {
		ans.warn("whois %s: placeholder %s ignored", raw.Server, p)
	}
	for _, w := range fd.Found {
		ans.Contacts = append(ans.Contacts, w.contact(raw))
	}
	if fd.Referral != "" && len(fd.Found) == 0 {
		ans.warn("whois %s names the referral %s (not followed: we choose the servers we ask)", raw.Server, fd.Referral)
	}
}

func (w WhoisFound) contact(raw RawAnswer) Contact {
	c := Contact{Address: w.Address, Role: w.Role, Source: SourceWhois, Server: raw.Server,
		Confidence: w.Confidence, Field: w.Field, Raw: raw.Text, NeedsReview: w.NeedsReview}
	switch {
	case w.Fallback:
		c.Note = "needs review: no abuse contact registered; fallback to the " + w.Field
	case w.NeedsReview:
		c.Note = "needs review: found only in " + w.Field
	}
	return c
}
