package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Limits of the text summary; the JSON output has everything.
const (
	textMaxAddresses = 6
	textMaxRows      = 50
)

// textWriter keeps the first write error so the summary code stays linear.
type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) f(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// safe prints data from the logs (HELO names, addresses, raw lines) on one
// line with control characters neutralised.
func safe(s string) string { return textsafe.Line(s) }

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02 15:04:05 -0700")
}

// writeEvidenceText prints the human summary: what was read, probers
// ranked, the campaign, and the lines that could not be read.
func writeEvidenceText(w io.Writer, rep *evidence.Report) error {
	t := &textWriter{w: w}
	textHeader(t, rep)
	textProbers(t, rep.Probers)
	textSuspects(t, rep.Suspects, rep.Stats.SuspectsOmitted)
	textCampaign(t, rep.Campaign)
	textBadLines(t, rep.Stats)
	return t.err
}

func textHeader(t *textWriter, rep *evidence.Report) {
	st := rep.Stats
	t.f("Evidence scan of %d input(s): %d lines, %d events, %d sessions; %d malformed, %d unknown, %d outside the window\n",
		len(st.Files), st.Lines, st.Events, st.Sessions, st.Malformed, st.Unknown, st.Skipped)
	t.f("Time span: %s .. %s\n", stamp(rep.Span.First), stamp(rep.Span.Last))
	if len(rep.Domains) > 0 {
		t.f("Own domains: %s\n", safe(strings.Join(rep.Domains, ", ")))
	} else {
		t.f("Own domains: none given (every probe counts; no forged-sender analysis)\n")
	}
	for _, f := range st.Files {
		switch {
		case f.Error != "":
			t.f("  %s: not read: %s\n", safe(f.File), safe(f.Error))
		default:
			comp := ""
			if f.Compression != "" {
				comp = ", " + f.Compression
			}
			t.f("  %s: %s%s, %d lines, %d malformed, %d unknown\n", safe(f.File), f.Format, comp, f.Lines, f.Malformed, f.Unknown)
		}
	}
}

func textProbers(t *textWriter, probers []evidence.Prober) {
	t.f("\nProbers (%d), most probes first:\n", len(probers))
	if len(probers) == 0 {
		t.f("  none found\n")
	}
	for i, p := range probers {
		if i == textMaxRows {
			t.f("  … %d more (see --format json)\n", len(probers)-i)
			break
		}
		t.f("%3d. %s  %d probe(s)  rule %s  %s  confidence %.2f\n", i+1, safe(p.IP), p.Probes, p.Rule, strings.Join(p.Kinds, ","), p.Confidence)
		t.f("     first %s  last %s\n", stamp(p.FirstSeen), stamp(p.LastSeen))
		if len(p.HeloNames) > 0 {
			t.f("     HELO %s\n", safe(strings.Join(p.HeloNames, ", ")))
		}
		if len(p.ReverseNames) > 0 {
			t.f("     rDNS %s\n", safe(strings.Join(p.ReverseNames, ", ")))
		}
		t.f("     asked %s\n", safe(listSome(p.ProbedAddresses, textMaxAddresses)))
		if len(p.Events) > 0 {
			t.f("     why: %s\n", safe(p.Events[0].Reason))
		}
	}
}

// textSuspects lists the hosts that fit a callout but are not accused,
// each with why not.
func textSuspects(t *textWriter, suspects []evidence.Suspect, omitted int) {
	t.f("\nSuspects, not accused (%d):\n", len(suspects)+omitted)
	if len(suspects) == 0 {
		t.f("  none\n")
	}
	for i, s := range suspects {
		if i == textMaxRows {
			t.f("  … %d more (see --format json)\n", len(suspects)+omitted-i)
			break
		}
		t.f("%3d. %s  %d session(s)  not accused: %s\n", i+1, safe(s.IP), s.Probes, safe(s.Explanation))
	}
}

func textCampaign(t *textWriter, c evidence.Campaign) {
	t.f("\nForged own-domain senders (%d):\n", len(c.ForgedSenders))
	textAddrs(t, c.ForgedSenders)
	t.f("\nBackscatter to never-used own addresses (%d):\n", len(c.Backscatter))
	textAddrs(t, c.Backscatter)
	t.f("\nProbes after forgery (%d", c.LinkedProbes)
	if c.OmittedLinks.Probes > 0 {
		t.f("; links listed for the %d sampled", c.LinkedProbes-c.OmittedLinks.Probes)
	}
	t.f("):\n")
	for i, l := range c.Links {
		if i == textMaxRows {
			t.f("  … %d more\n", len(c.Links)-i)
			break
		}
		if l.Match == linkMatchDomain {
			t.f("  %s asked about a random address %s (%s, %s match: linked by time only)\n",
				safe(l.ProberIP), randomDelay(l.DelaySec, safe(l.Address)), stamp(l.ForgedAt), l.Match)
			continue
		}
		t.f("  %s asked about %s %s (%s, %s match)\n",
			safe(l.ProberIP), safe(l.Address), linkDelay(l.DelaySec), stamp(l.ForgedAt), l.Match)
	}
}

// linkMatchDomain is evidence.Link.Match for an Exim random probe tied to
// a forged address of its domain by time alone: it asked about a random
// local part, not about that address (evidence/campaign.go).
const linkMatchDomain = "domain"

// randomDelay: "41s after ADDR was forged" for a random probe's link.
func randomDelay(sec float64, addr string) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	if d < 0 {
		return fmt.Sprintf("while %s was being forged (the use was logged %s after the probe)", addr, -d)
	}
	return fmt.Sprintf("%s after %s was forged", d, addr)
}

func textAddrs(t *textWriter, v []evidence.ForgedSender) {
	for i, f := range v {
		if i == textMaxRows {
			t.f("  … %d more\n", len(v)-i)
			return
		}
		t.f("  %s  %d use(s) from %d client(s), first %s, last %s\n", safe(f.Address), f.Count, len(f.Clients), stamp(f.FirstSeen), stamp(f.LastSeen))
	}
}

func textBadLines(t *textWriter, st evidence.Stats) {
	if st.Malformed+st.Unknown == 0 {
		return
	}
	t.f("\nLines not read (first of each file):\n")
	for _, f := range st.Files {
		for _, l := range f.FirstBad {
			t.f("  %s:%d: %s: %s\n", safe(l.File), l.Line, l.Reason, safe(textsafe.Clip(l.Raw, 160)))
		}
	}
}

func listSome(v []string, n int) string {
	if len(v) <= n {
		return strings.Join(v, ", ")
	}
	return strings.Join(v[:n], ", ") + fmt.Sprintf(", … (%d in all)", len(v))
}

// linkDelay says how long after the forged use the probe came. A negative
// delay is a forged use that the verifying receiver logged only after its
// probe returned, with no session start to date it from.
func linkDelay(sec float64) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	if d < 0 {
		return fmt.Sprintf("while it was being forged (the use was logged %s after the probe)", -d)
	}
	return fmt.Sprintf("%s after it was forged", d)
}
