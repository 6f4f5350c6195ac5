package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// lookupAll looks the queries up in order; an unusable query stops the
// command before any output (exit 3), a failing source does not.
func lookupAll(ctx context.Context, f *whoisctx.Finder, queries []string) ([]*whoisctx.Result, error) {
	out := make([]*whoisctx.Result, 0, len(queries))
	for _, q := range queries {
		res, err := f.Lookup(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("whois: %w", err)
		}
		out = append(out, res)
	}
	return out, nil
}

// whoisExit: 1 when some query has no contact a notice can go to without
// review, or was rate-limited; local answers (private ranges) are fine.
func whoisExit(results []*whoisctx.Result) error {
	for _, r := range results {
		if r.Local != "" {
			continue
		}
		if r.RateLimited || !hasUsableContact(r) {
			return withCode(exitWarning, "")
		}
	}
	return nil
}

func hasUsableContact(r *whoisctx.Result) bool {
	for _, c := range r.Contacts {
		if !c.NeedsReview {
			return true
		}
	}
	return false
}

func writeWhois(w io.Writer, results []*whoisctx.Result, format string, raw bool) error {
	switch format {
	case "json":
		return writeWhoisJSON(w, results, raw)
	case "contacts":
		return writeWhoisContacts(w, results, raw)
	}
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeWhoisText(w, r, raw)
	}
	return nil
}

// whoisJSON is the document of docs/whois-json.md.
type whoisJSON struct {
	Version int                `json:"version"`
	Results []*whoisctx.Result `json:"results"`
}

// writeWhoisJSON leaves the raw answers out unless asked: each contact
// would otherwise repeat its registry's whole text.
func writeWhoisJSON(w io.Writer, results []*whoisctx.Result, raw bool) error {
	doc := whoisJSON{Version: 1, Results: make([]*whoisctx.Result, len(results))}
	for i, r := range results {
		cp := *r
		cp.Contacts = append([]whoisctx.Contact(nil), r.Contacts...)
		if !raw {
			cp.Raw = nil
			for j := range cp.Contacts {
				cp.Contacts[j].Raw = ""
			}
		}
		doc.Results[i] = &cp
	}
	return writeIndentedJSON(w, doc)
}

// writeWhoisContacts writes {query: [contacts]}, the shape that
// `dnsblaudit notify --contacts FILE` reads.
func writeWhoisContacts(w io.Writer, results []*whoisctx.Result, raw bool) error {
	m := make(map[string][]whoisctx.Contact, len(results))
	for _, r := range results {
		cs := append([]whoisctx.Contact{}, r.Contacts...)
		if !raw {
			for j := range cs {
				cs[j].Raw = ""
			}
		}
		m[r.Query] = cs
	}
	return writeIndentedJSON(w, m)
}

// writeWhoisText prints one result: a heading, the ranked contacts with
// their source, then warnings. Everything that came from a registry or
// DNS goes through textsafe.
func writeWhoisText(w io.Writer, r *whoisctx.Result, raw bool) {
	fmt.Fprintf(w, "%s\n", textsafe.Line(whoisHeading(r)))
	if r.Local != "" {
		fmt.Fprintf(w, "  answered locally, no query: %s\n", textsafe.Line(r.Local))
	}
	if r.ReverseName != "" {
		fmt.Fprintf(w, "  reverse name %s (forward-confirmed)\n", textsafe.Line(r.ReverseName))
	}
	if len(r.Contacts) == 0 && r.Local == "" {
		fmt.Fprintln(w, "  no abuse contact found")
	}
	for i, c := range r.Contacts {
		fmt.Fprintf(w, "  %d. %s\n", i+1, textsafe.Line(contactLine(c)))
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", textsafe.Line(warn))
	}
	if raw {
		writeRawAnswers(w, r.Raw)
	}
}

func whoisHeading(r *whoisctx.Result) string {
	parts := []string{r.Query}
	if r.ASN != 0 {
		as := fmt.Sprintf("AS%d", r.ASN)
		if r.ASName != "" {
			as += " " + r.ASName
		}
		parts = append(parts, as)
	}
	for _, kv := range [][2]string{{"prefix", r.Prefix}, {"registry", r.Registry}, {"net", r.NetName},
		{"country", r.Country}, {"domain", r.Domain}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+" "+kv[1])
		}
	}
	if r.Cached {
		parts = append(parts, "(cached)")
	}
	if r.RateLimited {
		parts = append(parts, "(RATE LIMITED: retry later)")
	}
	return strings.Join(parts, "  ")
}

// contactLine: "protect@bt.com  network  rdap rdap.db.ripe.net  0.95  entity BTS12-RIPE role abuse; note".
func contactLine(c whoisctx.Contact) string {
	s := fmt.Sprintf("%-32s %-9s %s %s  %.2f", c.Address, c.Role, c.Source, c.Server, c.Confidence)
	if c.Field != "" {
		s += "  [" + c.Field + "]"
	}
	if c.NeedsReview {
		s += "  NEEDS REVIEW"
	}
	if c.Note != "" {
		s += "  (" + c.Note + ")"
	}
	return s
}

func writeRawAnswers(w io.Writer, raws []whoisctx.RawAnswer) {
	for _, a := range raws {
		if a.Text == "" && a.Error == "" {
			continue
		}
		head := fmt.Sprintf("--- %s %s: %s", a.Source, a.Server, a.Query)
		if a.Truncated {
			head += " (truncated)"
		}
		if a.RateLimited {
			head += " (rate limited)"
		}
		fmt.Fprintf(w, "\n%s\n", textsafe.Line(head))
		if a.Error != "" {
			fmt.Fprintf(w, "error: %s\n", textsafe.Line(a.Error))
		}
		if a.Text != "" {
			fmt.Fprintln(w, strings.TrimRight(textsafe.Text(a.Text), "\n"))
		}
	}
}
