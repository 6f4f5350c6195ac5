package investigate

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// baseFacts are the log facts every hypothesis rests on, each checkable
// against the raw lines kept in the evidence.
func baseFacts(l linkage, rep evidence.Report) []Fact {
	var out []Fact
	out = append(out, Fact{Source: "logs", Text: fmt.Sprintf("%s read in %s (%d malformed, %d not recognised); %s assembled.",
		plural(rep.Stats.Lines, "line", "lines"), plural(len(rep.Stats.Files), "file", "files"),
		rep.Stats.Malformed, rep.Stats.Unknown, plural(rep.Stats.Sessions, "session", "sessions"))})
	if l.forgedCount > 0 {
		out = append(out, Fact{Time: timePtr(l.forgedFirst), Source: "logs", Text: fmt.Sprintf(
			"First forged use of an own address as sender (%s forged in all, in %s).",
			plural(l.forgedCount, "address", "addresses"), strings.Join(l.forgedDoms, ", ")), Lines: firstForgedLines(rep, l.forgedFirst)})
	}
	out = append(out, proberFacts(rep.Probers)...)
	return append(out, linkFacts(l)...)
}

// linkFacts state the linked probes by kind: those that asked about a
// forged address, and the random probes tied to a forgery by time alone,
// which asked about no forged address (the notices say it the same way,
// templates/default/callback-notice.tmpl).
func linkFacts(l linkage) []Fact {
	var out []Fact
	if t := l.asked; t.probes > 0 {
		out = append(out, Fact{Time: timePtr(t.first), Source: "logs", Text: fmt.Sprintf(
			"First callout asking about a forged address, %s after the first forged use; %s.",
			delta(t.first.Sub(l.forgedFirst)), askedPhrase(t))})
	}
	if t := l.byTime; t.probes > 0 {
		out = append(out, Fact{Time: timePtr(t.first), Source: "logs", Text: fmt.Sprintf(
			"First random-address callout after a forgery, %s after the first forged use; %s: "+
				"a random local part names no sender, so the logs cannot show which forgery set it off.",
			delta(t.first.Sub(l.forgedFirst)), byTimePhrase(t))})
	}
	if t := l.unsampled; t.probes > 0 {
		out = append(out, Fact{Time: timePtr(t.first), Source: "logs", Text: upperFirst(unsampledPhrase(t)) +
			": the evidence counts them but keeps no sample of them, so it does not show whether each asked about a forged address or a random one."})
	}
	return out
}

// unsampledPhrase: "N more probes from H hosts were linked to a forgery
// outside the evidence's samples (not told apart by kind)".
func unsampledPhrase(t probeTally) string {
	return fmt.Sprintf("%d more %s from %s %s linked to a forgery outside the evidence's samples (not told apart by kind)",
		t.probes, pick(t.probes, "probe", "probes"), plural(len(t.hosts), "host", "hosts"), pick(t.probes, "was", "were"))
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// askedPhrase: "N probes from H hosts asked about forged addresses".
func askedPhrase(t probeTally) string {
	return fmt.Sprintf("%s from %s asked about forged addresses", plural(t.probes, "probe", "probes"), plural(len(t.hosts), "host", "hosts"))
}

// byTimePhrase: "M probes from K hosts asked about a random address soon
// after a forgery (linked by time only)".
func byTimePhrase(t probeTally) string {
	return fmt.Sprintf("%s from %s asked about a random address soon after a forgery (linked by time only)",
		plural(t.probes, "probe", "probes"), plural(len(t.hosts), "host", "hosts"))
}

// maxProberFacts bounds the per-prober facts; the rest are summed up in
// one fact, and every prober stays listed in the report and case.json.
const maxProberFacts = 6

// proberFacts states the busiest probers one by one (rep.Probers is
// ranked, most probes first) and the rest together.
func proberFacts(probers []evidence.Prober) []Fact {
	var out []Fact
	for i, p := range probers {
		if i == maxProberFacts {
			out = append(out, restFact(probers[i:]))
			break
		}
		out = append(out, proberFact(p))
	}
	return out
}

func restFact(rest []evidence.Prober) Fact {
	n, first := 0, time.Time{}
	for _, p := range rest {
		n += p.Probes
		first = earliest(first, p.FirstSeen)
	}
	return Fact{Time: timePtr(first), Source: "logs", Text: fmt.Sprintf(
		"%d more %s ran %s between them (each is listed under Probers).", len(rest), pick(len(rest), "host", "hosts"), plural(n, "callout", "callouts"))}
}

func proberFact(p evidence.Prober) Fact {
	name := p.IP
	if len(p.HeloNames) > 0 {
		name += " (HELO " + textsafe.Line(p.HeloNames[0]) + ")"
	}
	text := fmt.Sprintf("%s ran %s (%s) from %s to %s, asking about %s.", name,
		plural(p.Probes, "callout", "callouts"), strings.Join(p.Kinds, ", "),
		stamp(p.FirstSeen), stamp(p.LastSeen), plural(len(p.ProbedAddresses), "address", "addresses"))
	if e := firstEpoch(p); e != nil {
		text += fmt.Sprintf(" Its random local part carries the epoch %d (%s, prober's clock).", e.Unix(), stamp(*e))
	}
	return Fact{Time: timePtr(p.FirstSeen), Source: "logs", Text: text, Lines: proberSample(p)}
}

// factLines bounds the raw lines a fact carries: a sample to check it
// by; every line stays in the evidence.
const factLines = 3

func proberSample(p evidence.Prober) []evidence.Line {
	var out []evidence.Line
	for _, ev := range p.Events {
		for _, l := range ev.Lines {
			if len(out) == factLines {
				return out
			}
			out = append(out, l)
		}
	}
	return out
}

func firstForgedLines(rep evidence.Report, first time.Time) []evidence.Line {
	for _, f := range rep.Campaign.ForgedSenders {
		if f.FirstSeen.Equal(first) {
			return f.Lines[:min(len(f.Lines), factLines)]
		}
	}
	return nil
}

// firstEpoch is the first Exim random-callout epoch a prober sent.
func firstEpoch(p evidence.Prober) *time.Time {
	for _, ev := range p.Events {
		if ev.Epoch != nil {
			return ev.Epoch
		}
	}
	return nil
}

func listingFacts(listings []Listing) []Fact {
	var out []Fact
	for _, ls := range listings {
		if ls.Bounce != nil && len(ls.Codes) == 0 {
			out = append(out, bounceFact(ls)) // named by a bounce only
			continue
		}
		f := Fact{Source: "dnsbl", Text: fmt.Sprintf("%s lists %s with %s", textsafe.Line(ls.List),
			textsafe.Line(ls.Target), strings.Join(ls.Codes, ", "))}
		if r := firstReason(ls); r != "" {
			f.Text += fmt.Sprintf(", reason %q", r)
		}
		f.Text += "."
		switch {
		case ls.Since != nil && ls.SinceSource == SinceBounce:
			f.Time, f.Source = ls.Since, "bounce"
			f.Text += " A bounce's rejection shows it in effect by then; it may have begun earlier."
		case ls.Since != nil:
			f.Time = ls.Since
			f.Source = "history"
			if ls.SinceKind == SinceBracketed && ls.CleanBefore != nil {
				f.Text += " The listing began then (first listed verdict in the history; a run at " + stamp(*ls.CleanBefore) + " saw it clean)."
			} else {
				f.Text += " First seen listed then; no earlier run saw it clean, so the listing may be older."
			}
		}
		out = append(out, f)
	}
	return out
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// byTime orders facts by time, facts without one first (they describe the
// whole scan), keeping the order of facts at the same time.
func byTime(facts []Fact) []Fact {
	sort.SliceStable(facts, func(i, j int) bool {
		a, b := facts[i].Time, facts[j].Time
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		default:
			return a.Before(*b)
		}
	})
	return facts
}

func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
