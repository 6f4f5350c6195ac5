package dnsbl

import (
	"fmt"
	"net/netip"
	"strings"
)

// HealthStatus is the state of a list as its test points show it.
type HealthStatus string

// Health states.
const (
	Healthy       HealthStatus = "healthy"
	Unhealthy     HealthStatus = "unhealthy" // fails RFC 5782 §5 or lists the canary: verdicts become unknown
	HealthRefused HealthStatus = "refused"   // answers refusal codes to test points: verdicts become refused
	HealthError   HealthStatus = "error"     // test points could not be looked up: verdicts become unknown
	Dead          HealthStatus = "dead"      // in the catalogue of dead lists: not queried
)

// Health is the outcome of a list's test points in one run.
type Health struct {
	List   string       `json:"list"`
	Zone   string       `json:"zone"` // key redacted
	Status HealthStatus `json:"status"`
	Reason string       `json:"reason,omitempty"`
	// NotQueried: the health was remembered from an earlier run and said
	// the list is not usable, so this run sent it no lookups.
	NotQueried bool `json:"not_queried,omitempty"`
}

// Canaries: queries that no list may answer "listed". A list that lists
// them lists the world (AHBL 2015, emailbasura 2019). 240.0.0.0/4 is
// reserved (RFC 1112 §4) and never sends mail; 100::/64 is the IPv6
// discard-only prefix (RFC 6666); ".invalid" cannot exist (RFC 2606).
const (
	canaryIPv4   = "240.0.0.1"
	canaryIPv6   = "100::1"
	canaryDomain = "dnsblaudit-canary-7f3c1a9e.invalid"
)

// testPoint is one health query and what it should show.
type testPoint struct {
	query      string // address or domain, for messages
	qname      string
	wantListed bool
	canary     bool
}

// testPoints returns the RFC 5782 §5 test points of l plus its canary, for
// each family a list of kind both answers. A test point set to "-" in the
// list definition is skipped (no documented test entry).
func testPoints(l *list) []testPoint {
	d := l.def
	switch d.Kind {
	case KindDomain:
		return familyTestPoints(l, KindDomain, orDefault(d.TestListed, "TEST"), orDefault(d.TestUnlisted, "INVALID"), canaryDomain)
	case KindIPv6:
		return familyTestPoints(l, KindIPv6, orDefault(d.TestListed, "::ffff:7f00:2"), orDefault(d.TestUnlisted, "::ffff:7f00:1"), canaryIPv6)
	case KindBoth:
		v4 := familyTestPoints(l, KindIPv4, orDefault(d.TestListed, "127.0.0.2"), orDefault(d.TestUnlisted, "127.0.0.1"), canaryIPv4)
		return append(v4, familyTestPoints(l, KindIPv6, orDefault(d.TestListedIPv6, "::ffff:7f00:2"), orDefault(d.TestUnlistedIPv6, "::ffff:7f00:1"), canaryIPv6)...)
	}
	return familyTestPoints(l, KindIPv4, orDefault(d.TestListed, "127.0.0.2"), orDefault(d.TestUnlisted, "127.0.0.1"), canaryIPv4)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// familyTestPoints builds one family's test points. The family is given,
// not guessed from the address: ::ffff:7f00:2 is the IPv6 test point and
// is asked in nibble form, never as 127.0.0.2.
func familyTestPoints(l *list, family Kind, listed, unlisted, canary string) []testPoint {
	var out []testPoint
	add := func(q string, want, isCanary bool) {
		if q == "-" {
			return
		}
		if name, ok := l.qname(q, family); ok {
			out = append(out, testPoint{query: q, qname: name, wantListed: want, canary: isCanary})
		}
	}
	add(listed, true, false)
	if !l.def.ListsNegativeTestPoint {
		add(unlisted, false, false)
	}
	add(canary, false, true)
	return out
}

// qname builds the query name for an address or domain on this list, in
// the given family.
func (l *list) qname(q string, family Kind) (string, bool) {
	if family == KindDomain {
		return DomainQueryName(q, l.zone)
	}
	a, err := netip.ParseAddr(q)
	if err != nil {
		return "", false
	}
	return QueryName(a, family, l.zone)
}

// testOutcome is the answer to one test point.
type testOutcome struct {
	tp  testPoint
	ans answer
	err error
}

// judgeHealth turns the test point outcomes into a Health. Errors first
// (nothing else can be judged), then refusals, bogus answers, the
// negative test point and canary (list-the-world), and the positive one.
func judgeHealth(l *list, outs []testOutcome) Health {
	h := Health{List: l.def.Name, Zone: l.shown, Status: Healthy}
	fail := func(s HealthStatus, format string, args ...any) Health {
		h.Status, h.Reason = s, l.redact(fmt.Sprintf(format, args...))
		return h
	}
	for _, o := range outs {
		if o.err != nil {
			return fail(HealthError, "test point %s: %v", o.tp.query, o.err)
		}
	}
	for _, o := range outs {
		if o.ans.verdict == Refused {
			return fail(HealthRefused, "test point %s answered %s: %s", o.tp.query, joinAddrs(o.ans.codes), o.ans.reason)
		}
	}
	for _, o := range outs {
		if o.ans.verdict == Bogus {
			return fail(Unhealthy, "test point %s: %s", o.tp.query, o.ans.reason)
		}
	}
	for _, o := range outs {
		if o.wantListed() || o.ans.verdict != Listed {
			continue
		}
		if o.tp.canary {
			return fail(Unhealthy, "lists %s, which nothing should list (code %s): it appears to list the whole world", o.tp.query, joinAddrs(o.ans.codes))
		}
		return fail(Unhealthy, "lists the RFC 5782 section 5 test point %s (code %s), which no list may list: it probably lists everything", o.tp.query, joinAddrs(o.ans.codes))
	}
	for _, o := range outs {
		if o.wantListed() && o.ans.verdict != Listed {
			return fail(Unhealthy, "does not list the RFC 5782 section 5 test point %s (%s): the list is dead, empty or not a DNSBL", o.tp.query, strings.Trim(strings.TrimPrefix(o.ans.reason, "not listed "), "()"))
		}
	}
	return h
}

func (o testOutcome) wantListed() bool { return o.tp.wantListed }

// applyHealth rewrites a result of a list that is not healthy: verdicts
// from a list that fails its test points are unknown, never "listed" or
// "clean"; a list that refuses its test points refuses us. A listing so
// rewritten loses its severity (set only on a listing).
func applyHealth(r *Result, h Health) {
	switch h.Status {
	case Healthy, Dead:
		return
	case HealthRefused:
		if r.Verdict == Listed || r.Verdict == NotListed || r.Verdict == Bogus {
			r.Verdict, r.Severity = Refused, ""
			r.Reason = "list refuses this querier: " + h.Reason
		}
	default:
		if r.Verdict == Listed || r.Verdict == NotListed || r.Verdict == Bogus {
			r.Verdict, r.Severity = Unknown, ""
			r.Reason = fmt.Sprintf("list %s: %s (answer was: %s)", h.Status, h.Reason, r.Reason)
		}
	}
}

// shunned returns, per list, its remembered health when that says the
// list is not usable: unhealthy, refusing or failing its test points. A
// list remembered that way is not queried until the remembered health
// expires (health_ttl, a twelfth of it for an error): its answers would
// count as "unknown" or "refused" anyway, and a list that times out
// would cost every run and every /probe its timeouts.
func shunned(health []Health, have []bool) []*Health {
	out := make([]*Health, len(health))
	for i, h := range health {
		switch {
		case !have[i], h.Status == Healthy, h.Status == Dead:
		default:
			out[i] = &health[i]
		}
	}
	return out
}

// shunnedResult gives a lookup that was not sent to a shunned list the
// verdict its health gives: a list that refuses its test points refuses
// us, one whose test points failed to answer would have failed this
// lookup too (error), and an unhealthy list's answers are unknown
// (applyHealth).
func shunnedResult(r *Result, h Health) {
	const notQueried = " (not queried: remembered until its test points are asked again)"
	switch h.Status {
	case HealthRefused:
		r.Verdict, r.Reason = Refused, "list refuses this querier: "+h.Reason+notQueried
	case HealthError:
		r.Verdict, r.Reason = Error, fmt.Sprintf("list %s: %s%s", h.Status, h.Reason, notQueried)
	default:
		r.Verdict, r.Reason = Unknown, fmt.Sprintf("list %s: %s%s", h.Status, h.Reason, notQueried)
	}
}
