package investigate

import (
	"fmt"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Explain states the received-callouts explanation with the default
// windows: the Hypothesis of a case. It is a pure function of the
// listings and the scan, so the same case always reads the same way.
func Explain(listings []Listing, rep evidence.Report) Hypothesis {
	e := receivedCallouts(Evidence{Listings: listings, Received: rep, LinkWindow: evidence.DefaultLinkWindow, Lookback: DefaultLookback})
	return Hypothesis{Verdict: e.Verdict, Summary: e.Summary, Facts: e.Facts}
}

// contraryReceived are the reasons callouts received cannot explain.
var contraryReceived = classSet(classExploited, classPolicy, classSpam, classBackscatter, classRelay)

// receivedCallouts: hosts that received spam forging our addresses
// verified them with callouts against our MX, and a list took that for
// an attack by our MX. Supported needs a listing whose start is bracketed
// by a clean run, probes linked to forged uses (within the link window)
// in the lookback before that start, and a reason that points nowhere
// else (judgeListings).
func receivedCallouts(ev Evidence) Explanation {
	rep := ev.Received
	l := link(rep, ev.LinkWindow)
	e := Explanation{Name: ExplainReceivedCallouts, Facts: byTime(append(baseFacts(l, rep), listingFacts(ev.Listings)...))}
	switch {
	case rep.Stats.Lines == 0:
		e.Verdict = Unknown
		e.Summary = "No log line was read, so nothing shows whether callouts reached this MX. " + listingSentence(ev.Listings, l)
	case logsStartAfter(ev.Listings, rep.Span.First):
		e.Verdict = Unknown
		e.Summary = fmt.Sprintf("The logs read begin at %s, after the listing began, so they cannot show what led to it: read older logs. ", stamp(rep.Span.First)) +
			listingSentence(ev.Listings, l)
	case l.probes == 0:
		e.Verdict, e.Summary = NotSupported, notSupportedSummary(ev.Listings, rep, l)
	case l.linkedProbes == 0:
		e.Verdict, e.Summary = Partial, partialSummary(ev.Listings, rep, l)
	default:
		g := judgeListings(ev, l.linkedBetween, 1, contraryReceived, "the callouts linked to forged senders")
		e.Verdict = g.verdict
		if g.verdict == Supported {
			e.Summary = summaryOf(supportedLead(l), g) + " Callouts look like address harvesting from the probed side, but they were triggered by the forged spam, " +
				"not sent by this MX: the MX only answered them."
		} else {
			e.Summary = summaryOf(supportedLead(l), g) + " A callback explanation is possible but only partly supported."
		}
	}
	return e
}

// supportedLead says when the campaign began and which callouts followed
// it, by kind: those that asked about forged addresses, and random probes
// tied to a forgery by time alone (they asked about no forged address).
func supportedLead(l linkage) string {
	var parts []string
	if l.asked.probes > 0 {
		parts = append(parts, fmt.Sprintf("from T0+%s, %s within %s of a forged use", delta(l.asked.first.Sub(l.forgedFirst)), askedPhrase(l.asked), delta(l.window)))
	} else if l.unsampled.probes == 0 {
		parts = append(parts, "no callout asked about a forged address")
	}
	if l.byTime.probes > 0 {
		parts = append(parts, fmt.Sprintf("from T0+%s, %s", delta(l.byTime.first.Sub(l.forgedFirst)), byTimePhrase(l.byTime)))
	}
	if l.unsampled.probes > 0 {
		parts = append(parts, unsampledPhrase(l.unsampled))
	}
	return fmt.Sprintf("Spam forging addresses in %s began at %s; %s.", strings.Join(l.forgedDoms, ", "), stamp(l.forgedFirst), strings.Join(parts, "; "))
}

func partialSummary(listings []Listing, rep evidence.Report, l linkage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s probed addresses at this MX with callouts (%s, first at %s), ",
		plural(len(rep.Probers), "host", "hosts"), plural(l.probes, "probe", "probes"), stamp(l.firstProbe))
	if l.forgedCount == 0 {
		b.WriteString("but the logs show no spam forging the probed addresses, so what triggered the probes is not in evidence. ")
	} else {
		fmt.Fprintf(&b, "but none of them asked about an address forged in the %s before the probe. ", delta(l.window))
	}
	b.WriteString(listingSentence(listings, l))
	b.WriteString("A callback explanation is possible but only partly supported.")
	return b.String()
}

func notSupportedSummary(listings []Listing, rep evidence.Report, l linkage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The logs (%s in %s) hold no SMTP callouts against this MX, ",
		plural(rep.Stats.Lines, "line", "lines"), plural(len(rep.Stats.Files), "file", "files"))
	if l.forgedCount > 0 {
		fmt.Fprintf(&b, "although %s in %s were forged as senders. ", plural(l.forgedCount, "address", "addresses"), strings.Join(l.forgedDoms, ", "))
	} else {
		b.WriteString("and no forged use of its domains. ")
	}
	b.WriteString(listingSentence(listings, l))
	b.WriteString("The evidence does not support a callback explanation: look for another cause " +
		"(a compromised account or host, a mailing list, or the list's own policy) before asking for delisting.")
	return b.String()
}

// listingSentence says which lists list the subject, since when, and what
// their reason text says.
func listingSentence(listings []Listing, l linkage) string {
	if len(listings) == 0 {
		return "No list lists the subject now. "
	}
	var parts []string
	for _, ls := range listings {
		parts = append(parts, oneListing(ls, l))
	}
	return upperFirst(strings.Join(parts, "; ")) + ". "
}

func oneListing(ls Listing, l linkage) string {
	s := "the listing by " + textsafe.Line(ls.List)
	switch {
	case ls.Since != nil && ls.SinceSource == SinceBounce:
		s += " was in effect by " + stamp(*ls.Since) + " (a bounce's rejection)"
	case ls.Since != nil && ls.SinceKind == SinceBracketed:
		s += " began at " + stamp(*ls.Since)
	case ls.Since != nil:
		s += " was first seen at " + stamp(*ls.Since) + " (no earlier clean run: it may be older)"
	default:
		s += " has no recorded start"
	}
	if ls.Since != nil && !l.firstProbe.IsZero() {
		s += " (" + relative(ls.Since.Sub(l.firstProbe)) + " the first probe)"
	}
	if len(ls.CalloutWords) > 0 {
		s += fmt.Sprintf(" and its reason text says %q", ls.CalloutWords[0])
	} else if r := firstReason(ls); r != "" {
		s += fmt.Sprintf(" with the reason %q", r)
	}
	return s
}

func relative(d time.Duration) string {
	if d < 0 {
		return delta(-d) + " before"
	}
	return delta(d) + " after"
}

func firstReason(ls Listing) string {
	for _, t := range ls.TXT {
		if t = textsafe.Line(t); t != "" {
			return textsafe.ClipRunes(t, 160)
		}
	}
	return textsafe.Line(ls.Reason)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// logsStartAfter: every listing began before the first event of the logs.
func logsStartAfter(listings []Listing, first time.Time) bool {
	after, _ := allStartBefore(listings, first)
	return after
}
