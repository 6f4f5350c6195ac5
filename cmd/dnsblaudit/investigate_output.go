package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// printCase is the terminal summary of a case: the hypothesis, the counts
// a person wants at a glance, and where the files are.
func printCase(w io.Writer, c *investigate.Case, dir string) {
	fmt.Fprintf(w, "Case %s: %s\n\n", textsafe.Line(c.Subject), headline(c))
	fmt.Fprintf(w, "Received callouts (%s): %s\n\n", c.Hypothesis.Verdict, textsafe.Line(c.Hypothesis.Summary))
	printExplanations(w, c)
	fmt.Fprintf(w, "Listings: %d   Probers: %d   Forged senders: %d   Contacts found for %d of %d probers   Notices: %d\n",
		len(c.Listings), len(c.Evidence.Probers), len(c.Evidence.Campaign.ForgedSenders),
		withContacts(c), len(c.Contacts), len(c.Notices))
	for _, ls := range c.Listings {
		since := "start unknown"
		switch {
		case ls.Since != nil && ls.SinceSource == investigate.SinceBounce:
			since = "in effect by " + ls.Since.UTC().Format("2006-01-02 15:04:05 UTC") + " (a bounce)"
		case ls.Since != nil && ls.SinceKind == investigate.SinceBracketed && ls.CleanBefore != nil:
			since = "since " + ls.Since.UTC().Format("2006-01-02 15:04:05 UTC") + " (clean at " + ls.CleanBefore.UTC().Format("2006-01-02 15:04:05 UTC") + ")"
		case ls.Since != nil:
			since = "first seen " + ls.Since.UTC().Format("2006-01-02 15:04:05 UTC") + " (no earlier clean run: may be older)"
		}
		zone := textsafe.Line(ls.Zone)
		if zone == "" {
			zone = "no DNS zone: named by a bounce"
		}
		fmt.Fprintf(w, "  listed by %s (%s), %s", textsafe.Line(ls.List), zone, since)
		if ls.Delist != "" {
			fmt.Fprintf(w, "; delisting: %s", textsafe.Line(ls.Delist))
		}
		fmt.Fprintln(w)
	}
	for _, w2 := range c.Warnings {
		fmt.Fprintf(w, "warning: %s\n", textsafe.Line(w2))
	}
	fmt.Fprintf(w, "\nCase directory: %s\n", dir)
	for _, f := range []string{investigate.CaseFile, investigate.MarkdownFile, investigate.HTMLFile} {
		fmt.Fprintf(w, "  %s\n", filepath.Join(dir, f))
	}
	for _, n := range c.Notices {
		fmt.Fprintf(w, "  %s  (%s, to %d, not sent)\n", filepath.Join(dir, n.File), textsafe.Line(n.Kind), len(n.To))
	}
	if len(c.Notices) > 0 {
		fmt.Fprintf(w, "Review the notices, then send them with: dnsblaudit notify --case %s --send\n", dir)
	}
}

func withContacts(c *investigate.Case) int {
	n := 0
	for _, pc := range c.Contacts {
		if len(pc.Contacts) > 0 {
			n++
		}
	}
	return n
}

// printExplanations lists every cause weighed, best-supported first; the
// received-callouts summary is the one printed above.
func printExplanations(w io.Writer, c *investigate.Case) {
	if len(c.Explanations) == 0 {
		return
	}
	fmt.Fprintln(w, "Explanations weighed, best-supported first:")
	for _, e := range c.Explanations {
		fmt.Fprintf(w, "  %-17s %s\n", e.Name, e.Verdict)
		if e.Name != investigate.ExplainReceivedCallouts {
			fmt.Fprintf(w, "      %s\n", textsafe.Line(e.Summary))
		}
	}
	fmt.Fprintln(w)
}

// headline names the best-supported explanation, and the received-callouts
// verdict when that is not it.
func headline(c *investigate.Case) string {
	if len(c.Explanations) == 0 {
		return c.Hypothesis.Verdict
	}
	best := c.Explanations[0]
	if best.Name == investigate.ExplainReceivedCallouts {
		return best.Name + " " + best.Verdict
	}
	return fmt.Sprintf("%s %s (received-callouts %s)", best.Name, best.Verdict, c.Hypothesis.Verdict)
}
