package whoisctx

import (
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// hostileFinder points WHOIS at its own fake (RDAP and DNS off) so that the
// server's behaviour is all that matters.
func hostileFinder(t *testing.T, r whoistest.Reply) (*Finder, *whoistest.WHOIS) {
	t.Helper()
	srv, err := whoistest.StartWHOIS()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	srv.Route("0.0.0.0/0", r)
	f := newFinder(t, Config{
		WhoisServer: srv.Addr(), SkipRDAP: true, SkipDNS: true, MinInterval: -1,
		Timeout: 3 * time.Second, QueryTimeout: 300 * time.Millisecond, MaxResponseBytes: 64 << 10,
	})
	return f, srv
}

func whoisRaw(res *Result) RawAnswer {
	for _, r := range res.Raw {
		if r.Source == SourceWhois {
			return r
		}
	}
	return RawAnswer{}
}

func TestHostileSilent(t *testing.T) {
	f, _ := hostileFinder(t, whoistest.Reply{Mode: whoistest.Silent})
	start := time.Now()
	res := lookup(t, f, "62.239.237.10")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("lookup took %s, want about the 300ms query timeout", d)
	}
	if len(res.Contacts) != 0 || whoisRaw(res).Error == "" || !res.Incomplete {
		t.Errorf("contacts %v, raw error %q, incomplete %v: want none, an error, incomplete", addresses(res.Contacts), whoisRaw(res).Error, res.Incomplete)
	}
}

func TestHostileTrickle(t *testing.T) {
	f, _ := hostileFinder(t, whoistest.Reply{Mode: whoistest.Trickle, Text: whoistest.File("ripe.txt")})
	start := time.Now()
	res := lookup(t, f, "62.239.237.10")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("lookup took %s against a trickling server, want about the 300ms query timeout", d)
	}
	if raw := whoisRaw(res); raw.Text == "" || raw.Error == "" {
		t.Errorf("raw = %+v: want the bytes received kept, and the error", raw)
	}
}

func TestHostileFlood(t *testing.T) {
	f, _ := hostileFinder(t, whoistest.Reply{Mode: whoistest.Flood, Text: whoistest.File("ripe.txt"), Size: 50 << 20})
	res := lookup(t, f, "62.239.237.10")
	raw := whoisRaw(res)
	if !raw.Truncated || len(raw.Text) > 64<<10 {
		t.Errorf("truncated=%v len=%d: want the answer cut at 64 KiB", raw.Truncated, len(raw.Text))
	}
	// The contact in the first part of the answer is still found.
	if c, ok := res.Best(); !ok || c.Address != "protect@bt.com" {
		t.Errorf("best = %v, want protect@bt.com from the text before the flood", addresses(res.Contacts))
	}
	if !hasWarning(res, "truncated") {
		t.Errorf("warnings %q lack the truncation", res.Warnings)
	}
}

// A remarks line that looks like a referral is never followed, and values
// with CR/LF, a display name, a second address or an escape sequence are
// refused outright.
func TestHostileInjection(t *testing.T) {
	f, srv := hostileFinder(t, whoistest.Reply{Text: whoistest.File("inject.txt")})
	res := lookup(t, f, "62.239.237.10")
	if q := srv.Queries(); len(q) != 1 {
		t.Errorf("queries = %q, want exactly one (no referral followed)", q)
	}
	got := addresses(res.Contacts)
	want := []string{"abuse@good-hoster.example.net", "victim@good-hoster.example.net"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("contacts = %q, want %q", got, want)
	}
	for _, c := range res.Contacts {
		if strings.ContainsAny(c.Address, "\r\n\x1b<>\" ,") {
			t.Errorf("unsafe address %q", c.Address)
		}
	}
}

func TestRateLimitRIPE(t *testing.T) {
	f, srv := hostileFinder(t, whoistest.Reply{Text: whoistest.File("ripe-denied.txt")})
	res := lookup(t, f, "62.239.237.10")
	if !res.RateLimited || !hasWarning(res, "rate limited") || hasWarning(res, "no abuse contact") {
		t.Fatalf("rate_limited=%v warnings=%q: want a rate limit, never 'no contact'", res.RateLimited, res.Warnings)
	}
	// Backing off: the next lookup does not knock again.
	res = lookup(t, f, "62.239.237.11")
	if q := srv.Queries(); len(q) != 1 {
		t.Errorf("queries = %d, want 1 (back-off after the refusal)", len(q))
	}
	if !strings.Contains(whoisRaw(res).Error, ErrBackoff.Error()) {
		t.Errorf("second lookup raw error %q, want the back-off", whoisRaw(res).Error)
	}
}

func TestRateLimitARINHeaderOnly(t *testing.T) {
	f, _ := hostileFinder(t, whoistest.Reply{Text: whoistest.File("arin-header-only.txt")})
	res := lookup(t, f, "174.0.36.9")
	if !res.RateLimited || hasWarning(res, "no abuse contact") {
		t.Errorf("rate_limited=%v warnings=%q: want ARIN's header-only answer taken as a rate limit", res.RateLimited, res.Warnings)
	}
}

func TestRateLimitRDAP429(t *testing.T) {
	reg := startRegistry(t)
	reg.RDAP.Route("62.239.237.0/24", whoistest.RDAPReply{Status: 429, RetryAfter: 600, Body: `{"errorCode":429}`})
	cfg := testConfig(reg)
	cfg.SkipWhois = true
	f := newFinder(t, cfg)
	res := lookup(t, f, "62.239.237.10")
	if !res.RateLimited {
		t.Fatalf("rate_limited=false, warnings %q", res.Warnings)
	}
	hits := len(reg.RDAP.Hits())
	res = lookup(t, f, "62.239.237.10")
	if len(reg.RDAP.Hits()) != hits {
		t.Errorf("RDAP asked again during back-off")
	}
	if !res.RateLimited && !hasWarning(res, "back-off") {
		t.Errorf("second lookup warnings %q: want the back-off reported", res.Warnings)
	}
}

func TestWhoisDialTimeout(t *testing.T) {
	// Nothing listens on 127.0.0.1:1: the error must come back quickly and
	// be reported, not hang.
	f := newFinder(t, Config{WhoisServer: "127.0.0.1:1", SkipRDAP: true, SkipDNS: true, MinInterval: -1,
		QueryTimeout: 300 * time.Millisecond})
	res := lookup(t, f, "62.239.237.10")
	if whoisRaw(res).Error == "" || len(res.Contacts) != 0 {
		t.Errorf("raw = %+v contacts = %v", whoisRaw(res), addresses(res.Contacts))
	}
}

// An RDAP server slower than the per-query timeout does not cost the
// lookup: WHOIS answers instead, and the slowness is reported.
func TestSlowRDAPFallsBackToWhois(t *testing.T) {
	reg := startRegistry(t)
	reg.RDAP.Route("62.239.237.0/24", whoistest.RDAPReply{Body: whoistest.File("rdap-lacnic.json"), Delay: 3 * time.Second})
	cfg := testConfig(reg)
	cfg.QueryTimeout, cfg.SkipDomain = 200*time.Millisecond, true
	start := time.Now()
	res := lookup(t, newFinder(t, cfg), "62.239.237.10")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("lookup took %s", d)
	}
	c, ok := res.Best()
	if !ok || c.Address != "protect@bt.com" || c.Source != SourceWhois {
		t.Errorf("best = %+v, want protect@bt.com from WHOIS", c)
	}
	if !hasWarning(res, "rdap") {
		t.Errorf("warnings %q lack the RDAP timeout", res.Warnings)
	}
	if len(reg.WHOIS.Queries()) != 1 {
		t.Errorf("WHOIS queries %q", reg.WHOIS.Queries())
	}
}

// The overall deadline holds even when every server stalls.
func TestLookupDeadline(t *testing.T) {
	srv, err := whoistest.StartWHOIS()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Route("0.0.0.0/0", whoistest.Reply{Mode: whoistest.Silent})
	rdapSrv, err := whoistest.StartRDAP()
	if err != nil {
		t.Fatal(err)
	}
	defer rdapSrv.Close()
	rdapSrv.Route("0.0.0.0/0", whoistest.RDAPReply{Delay: 10 * time.Second, Body: "{}"})
	f := newFinder(t, Config{WhoisServer: srv.Addr(), RDAPURL: rdapSrv.URL(), SkipDNS: true, MinInterval: -1,
		Timeout: 500 * time.Millisecond, QueryTimeout: 5 * time.Second})
	start := time.Now()
	res := lookup(t, f, "62.239.237.10")
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("lookup took %s with a 500ms deadline", d)
	}
	if len(res.Contacts) != 0 || len(res.Warnings) == 0 {
		t.Errorf("contacts %v warnings %q", addresses(res.Contacts), res.Warnings)
	}
}

// An RDAP answer larger than the cap is cut, reported, and WHOIS answers.
func TestRDAPFloodCapped(t *testing.T) {
	reg := startRegistry(t)
	reg.RDAP.Route("62.239.237.0/24", whoistest.RDAPReply{Body: `{"objectClassName":"ip network","remarks":[{"description":["` +
		strings.Repeat("x", 8<<20) + `"]}]}`})
	cfg := testConfig(reg)
	cfg.MaxResponseBytes, cfg.SkipDomain = 64<<10, true
	res := lookup(t, newFinder(t, cfg), "62.239.237.10")
	var rdapRaw RawAnswer
	for _, r := range res.Raw {
		if r.Source == SourceRDAP {
			rdapRaw = r
		}
	}
	if !rdapRaw.Truncated || len(rdapRaw.Text) > 64<<10 {
		t.Errorf("rdap raw truncated=%v len=%d", rdapRaw.Truncated, len(rdapRaw.Text))
	}
	if c, ok := res.Best(); !ok || c.Address != "protect@bt.com" || c.Source != SourceWhois {
		t.Errorf("best = %+v, want the WHOIS answer", c)
	}
}

// RDAP e-mails that carry CR/LF, a display name or a mailto: prefix are
// refused or reduced to the bare address.
func TestRDAPAddressInjection(t *testing.T) {
	reg := startRegistry(t)
	reg.RDAP.Route("62.239.237.0/24", whoistest.RDAPReply{Body: `{"objectClassName":"ip network",
		"startAddress":"62.239.237.0","endAddress":"62.239.237.255","entities":[{"objectClassName":"entity","roles":["abuse"],
		"vcardArray":["vcard",[["version",{},"text","4.0"],
		["email",{"pref":"1"},"text","abuse@evil.example.net\r\nBcc: all@victim.example"],
		["email",{"pref":"2"},"text","Evil <x@evil.example.net>"],
		["email",{"pref":"3"},"text","mailto:ok@evil.example.net"]]]}]}`})
	cfg := testConfig(reg)
	cfg.SkipWhois, cfg.SkipDomain = true, true
	res := lookup(t, newFinder(t, cfg), "62.239.237.10")
	got := addresses(networkContacts(res))
	if len(got) == 0 || got[0] != "ok@evil.example.net" {
		t.Errorf("contacts = %q, want only ok@evil.example.net (then Abusix)", got)
	}
	for _, a := range got {
		if strings.ContainsAny(a, "\r\n<> ") {
			t.Errorf("unsafe %q", a)
		}
	}
}

// Abusix is the fallback where the registry has no abuse contact
// (AFRINIC): it outranks an address seen only in remarks.
func TestAbusixFallbackAFRINIC(t *testing.T) {
	reg := startRegistry(t)
	n := whoistest.NetworkByName("afrinic")
	reg.DNS.Abusix(n.Prefix, "abuse@abusix-listed.example")
	res := lookup(t, newFinder(t, testConfig(reg)), n.Sample.String())
	if c, ok := res.Best(); !ok || c.Source != SourceAbusix || c.NeedsReview {
		t.Errorf("best = %+v, want Abusix's address", c)
	}
	if len(res.Contacts) < 2 || !res.Contacts[1].NeedsReview {
		t.Errorf("contacts %v: the remarks address should follow, marked for review", addresses(res.Contacts))
	}
}

func TestWhoisEmptyAnswerNotCached(t *testing.T) {
	f, srv := hostileFinder(t, whoistest.Reply{Text: ""})
	res := lookup(t, f, "62.239.237.10")
	if !hasWarning(res, "empty answer") {
		t.Errorf("warnings %q", res.Warnings)
	}
	lookup(t, f, "62.239.237.11")
	if len(srv.Queries()) != 2 {
		t.Errorf("queries %d: an empty answer must not be cached", len(srv.Queries()))
	}
}
