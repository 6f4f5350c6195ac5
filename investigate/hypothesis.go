package investigate

import (
	"fmt"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Explain states the hypothesis the evidence supports. It is a pure
// function of the listings and the scan, so the same case always reads the
// same way.
func Explain(listings []Listing, rep evidence.Report) Hypothesis {
	l := link(rep)
	h := Hypothesis{Facts: baseFacts(l, rep)}
	h.Facts = byTime(append(h.Facts, listingFacts(listings)...))
	switch {
	case l.probes == 0:
		h.Verdict = NotSupported
		h.Summary = notSupportedSummary(listings, rep, l)
	case l.linkedProbes > 0 && !allPredate(listings, l.firstProbe):
		h.Verdict = Supported
		h.Summary = supportedSummary(listings, l)
	default:
		h.Verdict = Partial
		h.Summary = partialSummary(listings, rep, l)
	}
	return h
}

func supportedSummary(listings []Listing, l linkage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Spam forging addresses in %s began at %s; ", strings.Join(l.forgedDoms, ", "), stamp(l.forgedFirst))
	fmt.Fprintf(&b, "from T0+%s, %s probed those addresses with callouts (%s). ",
		delta(l.firstLinked.Sub(l.forgedFirst)), plural(len(l.linkedIPs), "host", "hosts"), plural(l.linkedProbes, "probe", "probes"))
	b.WriteString(listingSentence(listings, l))
	b.WriteString("Callouts look like address harvesting from the probed side, but they were triggered by the forged spam, " +
		"not sent by this MX: the MX only answered them.")
	return b.String()
}

func partialSummary(listings []Listing, rep evidence.Report, l linkage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s probed addresses at this MX with callouts (%s, first at %s), ",
		plural(len(rep.Probers), "host", "hosts"), plural(l.probes, "probe", "probes"), stamp(l.firstProbe))
	if l.forgedCount == 0 {
		b.WriteString("but the logs show no spam forging the probed addresses, so what triggered the probes is not in evidence. ")
	} else {
		b.WriteString("but none of them asked about an address seen forged before the probe. ")
	}
	b.WriteString(listingSentence(listings, l))
	if allPredate(listings, l.firstProbe) {
		b.WriteString("The listing began before the first probe in these logs: scan an earlier window before blaming the callouts. ")
	}
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
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + ". "
}

func oneListing(ls Listing, l linkage) string {
	s := "the listing by " + textsafe.Line(ls.List)
	if ls.Since != nil {
		s += " began at " + stamp(*ls.Since)
		if ls.SinceSource == SinceBounce {
			s = "the listing by " + textsafe.Line(ls.List) + " was in effect by " + stamp(*ls.Since) + " (a bounce's rejection)"
		}
		if !l.firstProbe.IsZero() {
			s += " (" + relative(ls.Since.Sub(l.firstProbe)) + " the first probe)"
		}
	} else {
		s += " has no recorded start"
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

// allPredate reports whether every listing with a known start began
// before first (false when no start is known: absence is not evidence).
func allPredate(listings []Listing, first time.Time) bool {
	known := 0
	for _, ls := range listings {
		if ls.Since == nil {
			continue
		}
		known++
		if !ls.Since.Before(first) {
			return false
		}
	}
	return known > 0 && !first.IsZero()
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
