package dnsbl_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// These tests run the checker against a real rbldnsd (rbldnsdtest), for
// behaviour the fake server in internal/dnstest can only imitate: how a
// real list server answers test points, wildcards, several datasets in one
// zone, IPv6 nibble names and domain names.

var rbldnsdNow = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// The list definitions, as a user's configuration would give them.
var (
	listNormal = dnsbl.List{Name: "normal", Zone: zoneNormal, Delist: "https://normal.lists.test/delist",
		Codes: []dnsbl.Code{
			{Code: "127.0.0.2", Meaning: "spam source"},
			{Code: "127.0.0.3", Meaning: "spam source, verified"},
			{Code: "127.0.0.4", Meaning: "exploited host"},
			{Code: "127.0.0.10", Meaning: "dynamic range (policy)"},
		}}
	listWorld  = dnsbl.List{Name: "world", Zone: zoneWorld}
	listRefuse = dnsbl.List{Name: "refuse", Zone: zoneRefuse, RefusesPublicResolvers: true}
	listIPv6   = dnsbl.List{Name: "v6", Zone: zoneIPv6, Kind: dnsbl.KindIPv6,
		Codes: []dnsbl.Code{{Code: "127.0.0.2", Meaning: "spam source"}, {Code: "127.0.0.3", Meaning: "abused range"}}}
	listDomains = dnsbl.List{Name: "dbl", Zone: zoneDomains, Kind: dnsbl.KindDomain,
		Codes: []dnsbl.Code{{Code: "127.0.1.2", Meaning: "low reputation"}, {Code: "127.0.1.4", Meaning: "phishing"}}}
	allLists = []dnsbl.List{listNormal, listWorld, listRefuse, listIPv6, listDomains}
)

// newRbldnsdChecker checks lists through srv only (no catalogue, no
// system resolver).
func newRbldnsdChecker(t *testing.T, srv *rbldnsdtest.Server, lists ...dnsbl.List) *dnsbl.Checker {
	t.Helper()
	cfg := dnsbl.Config{Resolver: srv.Addr(), NoCatalogue: true, Lists: lists, Timeout: 2 * time.Second}
	c, err := dnsbl.NewChecker(cfg, dnsbl.WithClock(func() time.Time { return rbldnsdNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func checkTargets(t *testing.T, c *dnsbl.Checker, targets ...string) *dnsbl.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := c.Check(ctx, targets, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// resultsOf indexes a report's results by "query list".
func resultsOf(t *testing.T, rep *dnsbl.Report) map[string]dnsbl.Result {
	t.Helper()
	out := make(map[string]dnsbl.Result, len(rep.Results))
	for _, r := range rep.Results {
		k := r.Query + " " + r.List
		if _, dup := out[k]; dup {
			t.Errorf("two results for %s", k)
		}
		out[k] = r
	}
	return out
}

func healthOf(rep *dnsbl.Report) map[string]dnsbl.Health {
	out := make(map[string]dnsbl.Health, len(rep.Health))
	for _, h := range rep.Health {
		out[h.List] = h
	}
	return out
}

// sorted returns a sorted copy: rbldnsd answers the datasets of a zone in
// command-line order, but the checker need not keep that order.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// want is the expected verdict of one (query, list) pair. Nil slices are
// not checked; empty ones must be empty.
type want struct {
	verdict  dnsbl.Verdict
	codes    []string
	meanings []string
	txt      []string
	reason   string // substring of Reason
}

func (w want) check(t *testing.T, key string, r dnsbl.Result) {
	t.Helper()
	if r.Verdict != w.verdict {
		t.Errorf("%s: verdict %s (%s), want %s", key, r.Verdict, r.Reason, w.verdict)
		return
	}
	if w.codes != nil && !slices.Equal(sorted(r.Codes), sorted(w.codes)) {
		t.Errorf("%s: codes %q, want %q", key, r.Codes, w.codes)
	}
	if w.meanings != nil && !slices.Equal(sorted(r.Meanings), sorted(w.meanings)) {
		t.Errorf("%s: meanings %q, want %q", key, r.Meanings, w.meanings)
	}
	if w.txt != nil && !slices.Equal(sorted(r.TXT), sorted(w.txt)) {
		t.Errorf("%s: TXT %q, want %q", key, r.TXT, w.txt)
	}
	if !strings.Contains(r.Reason, w.reason) {
		t.Errorf("%s: reason %q, want it to contain %q", key, r.Reason, w.reason)
	}
}

// checkWants checks every wanted result, and that each has one.
func checkWants(t *testing.T, got map[string]dnsbl.Result, wants map[string]want) {
	t.Helper()
	for k, w := range wants {
		r, ok := got[k]
		if !ok {
			t.Errorf("%s: no result", k)
			continue
		}
		w.check(t, k, r)
	}
}

var (
	ipv4Targets   = []string{"192.0.2.10", "192.0.2.11", "198.51.100.7", "192.0.2.99"}
	ipv6Targets   = []string{"2001:db8:1::25", "2001:db8:2::1"}
	domainTargets = []string{"spam.example", "login.phish.example", "clean.example"}
)

func allTargets() []string {
	return slices.Concat(ipv4Targets, ipv6Targets, domainTargets)
}

func TestRbldnsdVerdicts(t *testing.T) {
	srv := startLists(t)
	rep := checkTargets(t, newRbldnsdChecker(t, srv, allLists...), allTargets()...)
	got := resultsOf(t, rep)
	wants := map[string]want{
		"192.0.2.10 normal": {verdict: dnsbl.Listed, codes: []string{"127.0.0.2"}, meanings: []string{"spam source"},
			txt: []string{"Listed, see https://normal.lists.test/lookup?ip=192.0.2.10"}, reason: "spam source"},
		// Two datasets of one zone: two A records, two TXT records.
		"192.0.2.11 normal": {verdict: dnsbl.Listed, codes: []string{"127.0.0.3", "127.0.0.10"},
			meanings: []string{"spam source, verified", "dynamic range (policy)"},
			txt:      []string{"Spam source 192.0.2.11 (code 3)", "Dynamic range 192.0.2.11 (policy)"}},
		// A listing without a TXT record is still a listing.
		"198.51.100.7 normal": {verdict: dnsbl.Listed, codes: []string{"127.0.0.4"}, meanings: []string{"exploited host"}, txt: []string{}},
		"192.0.2.99 normal":   {verdict: dnsbl.NotListed, codes: []string{}, txt: []string{}},

		"2001:db8:1::25 v6": {verdict: dnsbl.Listed, codes: []string{"127.0.0.3"}, meanings: []string{"abused range"},
			txt: []string{"Abused IPv6 range 2001:db8:1::25"}},
		"2001:db8:2::1 v6": {verdict: dnsbl.NotListed},

		"spam.example dbl": {verdict: dnsbl.Listed, codes: []string{"127.0.1.2"}, meanings: []string{"low reputation"},
			txt: []string{"Domain spam.example listed, low reputation"}},
		// rbldnsd fills $ with the entry that matched (the wildcard's
		// domain), not with the name asked.
		"login.phish.example dbl": {verdict: dnsbl.Listed, codes: []string{"127.0.1.4"}, meanings: []string{"phishing"},
			txt: []string{"Phishing domain phish.example"}},
		"phish.example dbl": {verdict: dnsbl.Listed, codes: []string{"127.0.1.4"}},
		"clean.example dbl": {verdict: dnsbl.NotListed},
	}
	for _, ip := range ipv4Targets {
		// The world list fails its health checks: nothing it says counts.
		wants[ip+" world"] = want{verdict: dnsbl.Unknown, reason: "unhealthy"}
		// The refusing list refuses, and says why.
		wants[ip+" refuse"] = want{verdict: dnsbl.Refused, reason: "public or open resolver"}
		// An IPv6-only list is not asked about an IPv4 address, and says so.
		wants[ip+" v6"] = want{verdict: dnsbl.Unchecked, reason: "IPv6 queries only"}
	}
	for _, ip := range ipv6Targets {
		for _, l := range []string{"normal", "world", "refuse"} {
			wants[ip+" "+l] = want{verdict: dnsbl.Unchecked, reason: "IPv4 queries only"}
		}
	}
	checkWants(t, got, wants)
	for k, r := range got {
		if _, ok := wants[k]; !ok {
			t.Errorf("unexpected result %s: %s (%s)", k, r.Verdict, r.Reason)
		}
		if r.Delist != "" && r.List != "normal" {
			t.Errorf("%s: delist URL %q from another list", k, r.Delist)
		}
	}
	if r := got["192.0.2.10 normal"]; r.Delist != listNormal.Delist || !r.Checked.Equal(rbldnsdNow) {
		t.Errorf("192.0.2.10 normal: delist %q, checked %v", r.Delist, r.Checked)
	}
}

func TestRbldnsdHealth(t *testing.T) {
	srv := startLists(t)
	// An IPv4, an IPv6 and a domain target: every list is queried, so
	// every list's test points are asked.
	rep := checkTargets(t, newRbldnsdChecker(t, srv, allLists...), "192.0.2.99", "2001:db8::99", domainTargets[0])
	h := healthOf(rep)
	wants := map[string]struct {
		status dnsbl.HealthStatus
		reason string
	}{
		"normal": {dnsbl.Healthy, ""},
		// Healthy only if ::ffff:7f00:2 was asked in nibble form: asked as
		// 127.0.0.2 (the IPv4-mapped trap) rbldnsd has no such name.
		"v6":     {dnsbl.Healthy, ""},
		"dbl":    {dnsbl.Healthy, ""},
		"world":  {dnsbl.Unhealthy, "127.0.0.1"},
		"refuse": {dnsbl.HealthRefused, "127.255.255.254"},
	}
	for name, w := range wants {
		got, ok := h[name]
		switch {
		case !ok:
			t.Errorf("%s: no health", name)
		case got.Status != w.status || !strings.Contains(got.Reason, w.reason):
			t.Errorf("%s: health %s (%s), want %s with %q", name, got.Status, got.Reason, w.status, w.reason)
		}
	}
	if len(h) != len(wants) {
		t.Errorf("health of %d lists, want %d: %+v", len(h), len(wants), rep.Health)
	}
}

// Only the lists a run queries are health-checked and reported: an
// IPv4-only check asks no test point of the IPv6 and domain lists, and
// does not report them "not usable".
func TestRbldnsdHealthOnlyQueriedLists(t *testing.T) {
	srv := startLists(t)
	rep := checkTargets(t, newRbldnsdChecker(t, srv, allLists...), "192.0.2.99")
	h := healthOf(rep)
	for _, name := range []string{"normal", "world", "refuse"} {
		if _, ok := h[name]; !ok {
			t.Errorf("%s: no health", name)
		}
	}
	for _, name := range []string{"v6", "dbl"} {
		if got, ok := h[name]; ok {
			t.Errorf("%s: health %s reported, although an IPv4-only run does not query it", name, got.Status)
		}
	}
	for _, r := range rep.Results {
		if r.List == "dbl" {
			t.Errorf("result on the domain list for an IP: %+v", r)
		}
	}
}

// The tally keeps the verdicts apart: the world list's unknowns and the
// refusals count as neither listed nor clean.
func TestRbldnsdCounts(t *testing.T) {
	srv := startLists(t)
	rep := checkTargets(t, newRbldnsdChecker(t, srv, allLists...), allTargets()...)
	got := rep.Counts()
	// 4 IPv4 targets on the IPv6 list and 2 IPv6 targets on 3 IPv4 lists
	w := dnsbl.Counts{Listed: 7, NotListed: 3, Refused: 4, Unknown: 4, Unchecked: 4 + 2*3}
	if got != w {
		t.Errorf("counts %+v, want %+v", got, w)
	}
}

// A change of the zone data reaches a new check: what watch relies on to
// see listings appear and go.
func TestRbldnsdZoneChange(t *testing.T) {
	srv := startLists(t)
	if v := verdictOf(t, srv, "192.0.2.10"); v != dnsbl.Listed {
		t.Fatalf("before: %s", v)
	}
	delisted := strings.Replace(normalMain, "192.0.2.10\n", "", 1)
	if err := srv.Rewrite(context.Background(), rbldnsdtest.FileNormalMain, delisted); err != nil {
		t.Fatal(err)
	}
	if v := verdictOf(t, srv, "192.0.2.10"); v != dnsbl.NotListed {
		t.Errorf("after delisting: %s", v)
	}
}

// verdictOf checks ip on the normal list with a fresh checker (a fresh
// cache).
func verdictOf(t *testing.T, srv *rbldnsdtest.Server, ip string) dnsbl.Verdict {
	t.Helper()
	rep := checkTargets(t, newRbldnsdChecker(t, srv, listNormal), ip)
	if len(rep.Results) != 1 {
		t.Fatalf("results: %+v", rep.Results)
	}
	return rep.Results[0].Verdict
}

// When the list server goes away, nothing is reported clean or listed.
func TestRbldnsdGone(t *testing.T) {
	srv := startLists(t)
	c := newRbldnsdChecker(t, srv, listNormal, listDomains)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	rep := checkTargets(t, c, "192.0.2.10", "192.0.2.99", "spam.example")
	for _, r := range rep.Results {
		if r.Verdict != dnsbl.Error && r.Verdict != dnsbl.Unknown {
			t.Errorf("%s on %s: %s (%s), want error or unknown", r.Query, r.List, r.Verdict, r.Reason)
		}
	}
	for _, h := range rep.Health {
		if h.Status != dnsbl.HealthError {
			t.Errorf("%s: health %s, want error", h.List, h.Status)
		}
	}
}

// Domains are asked the way lists publish them: lower case, IDNs in
// punycode (RFC 5891), whatever form the user typed.
func TestRbldnsdDomainForms(t *testing.T) {
	srv := startLists(t)
	rep := checkTargets(t, newRbldnsdChecker(t, srv, listDomains), "SPAM.Example", "bücher.example")
	got := resultsOf(t, rep)
	for _, k := range []string{"spam.example dbl", "xn--bcher-kva.example dbl"} {
		if r, ok := got[k]; !ok || r.Verdict != dnsbl.Listed {
			t.Errorf("%s: %+v (results %v)", k, r, slices.Sorted(maps.Keys(got)))
		}
	}
}

// A server that stops answering (overloaded, or packets dropped) gives
// timeouts: errors, never clean or listed, and the run still ends.
func TestRbldnsdFrozen(t *testing.T) {
	srv := startLists(t)
	cfg := dnsbl.Config{Resolver: srv.Addr(), NoCatalogue: true, Lists: []dnsbl.List{listNormal}, Timeout: 300 * time.Millisecond, Retries: 1}
	c, err := dnsbl.NewChecker(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := srv.Freeze(); err != nil {
		t.Fatal(err)
	}
	defer srv.Thaw()
	rep := checkTargets(t, c, "192.0.2.10", "192.0.2.99")
	for _, r := range rep.Results {
		if r.Verdict != dnsbl.Error && r.Verdict != dnsbl.Unknown {
			t.Errorf("%s: %s (%s), want error or unknown", r.Query, r.Verdict, r.Reason)
		}
		if !strings.Contains(r.Reason, "timeout") {
			t.Errorf("%s: reason %q does not say timeout", r.Query, r.Reason)
		}
	}
	if len(rep.Health) != 1 || rep.Health[0].Status != dnsbl.HealthError {
		t.Errorf("health %+v, want error", rep.Health)
	}
}

// A list server that stalls for a moment (a busy machine, a reload
// without -f) must not turn checks into errors when the stall is shorter
// than the configured timeout: dnsperf, with one transmission and a 5 s
// timeout, loses nothing to a 3 s stall of the same server. The stall
// starts once the run is well under way, counted in lookups.
func TestRbldnsdStall(t *testing.T) {
	srv := startLists(t)
	var stalled sync.Once
	done := make(chan struct{})
	observe := func(dnsbl.QueryEvent) {
		stalled.Do(func() {
			go func() {
				defer close(done)
				if err := srv.Freeze(); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(1500 * time.Millisecond)
				if err := srv.Thaw(); err != nil {
					t.Error(err)
				}
			}()
		})
	}
	cfg := dnsbl.Config{Resolver: srv.Addr(), NoCatalogue: true, Lists: []dnsbl.List{listNormal}, Timeout: 2 * time.Second}
	c, err := dnsbl.NewChecker(cfg, dnsbl.WithObserver(afterN(500, observe)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rep := checkTargets(t, c, "198.18.0.0/20")
	<-done
	n := rep.Counts()
	if n.Listed+n.NotListed != len(rep.Results) {
		t.Errorf("a 1.5 s stall with a 2 s timeout left %d of %d checks without a verdict: %+v; reasons: %v",
			len(rep.Results)-n.Listed-n.NotListed, len(rep.Results), n, reasons(rep))
	}
}

// afterN calls f from the n-th event on.
func afterN(n int64, f dnsbl.Observer) dnsbl.Observer {
	var seen atomic.Int64
	return func(e dnsbl.QueryEvent) {
		if seen.Add(1) >= n {
			f(e)
		}
	}
}

// reasons counts the reasons of the results without a definite verdict.
func reasons(rep *dnsbl.Report) map[string]int {
	out := map[string]int{}
	for _, r := range rep.Results {
		if r.Verdict != dnsbl.Listed && r.Verdict != dnsbl.NotListed {
			out[r.Reason]++
		}
	}
	return out
}

// The resolver may be reached over IPv6 (a local resolver on ::1): the
// same verdicts through the IPv6 sockets.
func TestRbldnsdResolverOverIPv6(t *testing.T) {
	srv := rbldnsdtest.StartT(t, rbldnsdtest.Options{IPv6: true}, rbldnsdtest.Fixtures()...)
	rep := checkTargets(t, newRbldnsdChecker(t, srv, listNormal), "192.0.2.11", "192.0.2.99")
	got := resultsOf(t, rep)
	want{verdict: dnsbl.Listed, codes: []string{"127.0.0.3", "127.0.0.10"},
		txt: []string{"Spam source 192.0.2.11 (code 3)", "Dynamic range 192.0.2.11 (policy)"}}.check(t, "192.0.2.11", got["192.0.2.11 normal"])
	want{verdict: dnsbl.NotListed}.check(t, "192.0.2.99", got["192.0.2.99 normal"])
}

// A long-lived checker (watch, serve) answers from its cache for the TTL
// the server gave, and asks again after it: a delisting shows once the
// listing's TTL has run out, not before and not never.
func TestRbldnsdCacheHonoursTTL(t *testing.T) {
	const ttl = 2 * time.Minute
	srv := rbldnsdtest.StartT(t, rbldnsdtest.Options{TTL: ttl}, rbldnsdtest.Fixtures()...)
	now := rbldnsdNow
	clock := func() time.Time { return now }
	cfg := dnsbl.Config{Resolver: srv.Addr(), NoCatalogue: true, Lists: []dnsbl.List{listNormal}, Timeout: 2 * time.Second}
	c, err := dnsbl.NewChecker(cfg, dnsbl.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	verdict := func() dnsbl.Verdict {
		t.Helper()
		rep := checkTargets(t, c, "192.0.2.10")
		return rep.Results[0].Verdict
	}
	if v := verdict(); v != dnsbl.Listed {
		t.Fatalf("before: %s", v)
	}
	delisted := strings.Replace(normalMain, "192.0.2.10\n", "", 1)
	if err := srv.RewriteNow(context.Background(), rbldnsdtest.FileNormalMain, delisted); err != nil {
		t.Fatal(err)
	}
	now = now.Add(ttl - time.Second)
	if v := verdict(); v != dnsbl.Listed {
		t.Errorf("within the TTL: %s, want the cached listing", v)
	}
	now = now.Add(2 * time.Second)
	if v := verdict(); v != dnsbl.NotListed {
		t.Errorf("after the TTL: %s, want not_listed", v)
	}
}
