package investigate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
)

// Names of the explanations a case weighs (docs/case-json.md).
const (
	ExplainReceivedCallouts = "received-callouts" // others' callouts to our MX, set off by forged spam
	ExplainOwnCallouts      = "own-callouts"      // our MX verifying others' addresses
	ExplainOwnBackscatter   = "own-backscatter"   // our MX bouncing spam to forged senders
	ExplainOutboundSpam     = "outbound-spam"     // an account or local sender of ours spamming
	ExplainOpenRelay        = "open-relay"        // our MX relaying outsiders' mail to others
)

// Unknown: the logs read cannot tell (e.g. they hold no outbound side).
const Unknown = "unknown"

// Explanation is one cause of a listing, weighed against the evidence.
type Explanation struct {
	Name    string `json:"name"`
	Verdict string `json:"verdict"` // Supported, Partial, NotSupported, Unknown
	Summary string `json:"summary"`
	Facts   []Fact `json:"facts"`
}

// Evidence is everything an explanation is weighed against.
type Evidence struct {
	Listings []Listing
	Received evidence.Report
	Outbound *outbound.Report // nil: the outbound side was not read
	// LinkWindow bounds how long before a probe a forged use still counts
	// as its cause (default evidence.DefaultLinkWindow); Lookback how long
	// before a listing's start evidence still counts as its cause
	// (default DefaultLookback).
	LinkWindow time.Duration
	Lookback   time.Duration
}

// Thresholds below which our own traffic is ordinary, not a cause: every
// MX bounces a few messages, and people send mail. A callout to another
// host is never ordinary traffic (it is the very behaviour such lists
// count), and Exim logs only the callouts that fail, so one is enough.
const (
	ownCalloutMin  = 1
	backscatterMin = 5
	burstMin       = 20 // remote deliveries of one sender in one day
	burstFactor    = 5  // times the sender's usual day
)

// Weigh judges every explanation and returns them best-supported first
// (ties in a fixed order: received callouts, own callouts, own
// backscatter, outbound spam, open relay).
func Weigh(ev Evidence) []Explanation {
	if ev.LinkWindow <= 0 {
		ev.LinkWindow = evidence.DefaultLinkWindow
	}
	if ev.Lookback <= 0 {
		ev.Lookback = DefaultLookback
	}
	out := []Explanation{receivedCallouts(ev), ownCallouts(ev), ownBackscatter(ev), outboundSpam(ev), openRelay(ev)}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i].Verdict) < rank(out[j].Verdict) })
	return out
}

func rank(v string) int {
	switch v {
	case Supported:
		return 0
	case Partial:
		return 1
	case Unknown:
		return 2
	}
	return 3
}

// gate is how one piece of evidence stands against the listings: the
// verdict it may have, and why, in plain words.
type gate struct {
	verdict string
	why     []string
}

// judgeListings decides whether evidence at the given times can be the
// cause of a listing. Supported needs, for at least one listing: a start
// bracketed by a clean run before it; at least min events within lookback
// before that start; and a reason text that names no cause this
// explanation cannot be (contrary). Anything less is Partial, with the
// reason for each listing.
func judgeListings(ev Evidence, count func(from, to time.Time) int, min int, contrary map[string]bool, what string) gate {
	if len(ev.Listings) == 0 {
		return gate{Partial, []string{"no list lists the subject now, so there is no listing for " + what + " to explain"}}
	}
	g := gate{verdict: Partial}
	for _, ls := range ev.Listings {
		why, ok := judgeOne(ev, ls, count, min, contrary, what)
		if ok {
			g.verdict = Supported
		}
		g.why = append(g.why, why)
	}
	return g
}

func judgeOne(ev Evidence, ls Listing, count func(from, to time.Time) int, min int, contrary map[string]bool, what string) (string, bool) {
	name := "the listing by " + ls.List
	if ls.Since == nil {
		return name + " has no known start (no history of it), so nothing shows that " + what + " came before it", false
	}
	start := *ls.Since
	n := count(start.Add(-ev.Lookback), start)
	switch {
	case ls.SinceKind != SinceBracketed || ls.CleanBefore == nil:
		return fmt.Sprintf("%s was first seen at %s, but no earlier run saw the subject clean: it may have begun long before, so it cannot be tied to %s (%d in the %s before)",
			name, stamp(start), what, n, delta(ev.Lookback)), false
	case n == 0:
		after := count(start, farFuture)
		return fmt.Sprintf("%s began between %s and %s, and none of %s came in the %s before it (%d after it began)",
			name, stamp(*ls.CleanBefore), stamp(start), what, delta(ev.Lookback), after), false
	case n < min:
		return fmt.Sprintf("%s began at %s; only %d of %s came in the %s before it, too few to have caused it",
			name, stamp(start), n, what, delta(ev.Lookback)), false
	}
	classes, words := ReasonClasses(listingTexts(ls)...)
	said := ""
	for i, c := range classes {
		if contrary[c] {
			return fmt.Sprintf("%s began at %s after %d of %s, but its reason text points elsewhere (%s: %q)",
				name, stamp(start), n, what, c, words[i]), false
		}
		if said == "" {
			said = fmt.Sprintf(", and its reason text says %q", words[i])
		}
	}
	return fmt.Sprintf("%s began at %s (a run at %s saw the subject clean), after %d of %s in the %s before it%s",
		name, stamp(start), stamp(*ls.CleanBefore), n, what, delta(ev.Lookback), said), true
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

func classSet(cs ...string) map[string]bool {
	m := map[string]bool{}
	for _, c := range cs {
		m[c] = true
	}
	return m
}

// outboundRead says whether the logs hold the outbound side at all; a
// scan of inbound-only logs (spamd, a filter in front) shows nothing
// about what the MX sent, which is not the same as showing it sent
// nothing. Logs whose outbound lines all come after every listing began
// cannot show what came before it either.
func outboundRead(ev Evidence) (bool, string) {
	o := ev.Outbound
	if ok, why := outboundPresent(o); !ok {
		return false, why
	}
	first := earliestOf(o.Deliveries.First, o.Local.First, o.Callouts.First, o.Bounces.Remote.First)
	if after, start := allStartBefore(ev.Listings, first); after {
		return false, fmt.Sprintf("the first outbound line read is from %s, after the listing began (%s): read older logs", stamp(first), stamp(start))
	}
	return true, ""
}

// allStartBefore reports whether every listing has a known start and all
// of them are before t (the latest start is returned).
func allStartBefore(listings []Listing, t time.Time) (bool, time.Time) {
	var latest time.Time
	for _, ls := range listings {
		if ls.Since == nil || !ls.Since.Before(t) {
			return false, time.Time{}
		}
		if ls.Since.After(latest) {
			latest = *ls.Since
		}
	}
	return len(listings) > 0 && !t.IsZero(), latest
}

func earliestOf(ts ...*time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t != nil {
			out = earliest(out, *t)
		}
	}
	return out
}

func outboundPresent(o *outbound.Report) (bool, string) {
	switch {
	case o == nil:
		return false, "the outbound side of the logs was not read"
	case !o.Read:
		return false, "no log file could be read for the outbound side"
	case o.Deliveries.Count+o.Local.Count+o.Callouts.Count+o.Bounces.Generated+o.Bounces.Remote.Count == 0:
		return false, fmt.Sprintf("the logs (%s) hold no delivery by this MX at all, so they cannot show what it sent: read its own mail log (Postfix smtp/local lines, Exim => lines)", plural(o.Lines, "line", "lines"))
	}
	return true, ""
}

func summaryOf(lead string, g gate) string {
	if len(g.why) == 0 {
		return lead
	}
	return lead + " " + upperFirst(strings.Join(g.why, "; ")) + "."
}

func tallyFact(text string, t outbound.Tally) Fact {
	return Fact{Time: t.First, Source: "logs", Text: text, Lines: t.Samples}
}

func daysText(ds []outbound.Day) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, fmt.Sprintf("%s: %d", d.Day, d.Count))
	}
	return strings.Join(parts, ", ")
}
