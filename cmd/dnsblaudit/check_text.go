package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// verdictOrder puts what needs action first.
var verdictOrder = map[dnsbl.Verdict]int{
	dnsbl.Listed: 0, dnsbl.Bogus: 1, dnsbl.Refused: 2, dnsbl.Error: 3, dnsbl.Unknown: 4, dnsbl.NotListed: 5, dnsbl.Unchecked: 6,
}

// maxQueriesShown bounds the addresses printed on one grouped line.
const maxQueriesShown = 6

// writeCheckText prints the report for a person: one block per target,
// listings first with their reasons and delisting pages, other failures
// grouped, clean lists counted; then lists that could not be used and
// warnings, once; then a summary line.
func writeCheckText(w io.Writer, rep *dnsbl.Report, st checkStatus) error {
	bw := bufio.NewWriter(w)
	byTarget := resultsByTarget(rep)
	unusable := unusableLists(rep)
	for i, t := range rep.Targets {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		writeTargetText(bw, rep, unusable, t, byTarget[t.Input])
	}
	writeHealthText(bw, rep)
	writeWarningsText(bw, rep.Warnings)
	n := st.counts
	fmt.Fprintf(bw, "\n%s: %d listed, %d not listed, %d refused, %d error, %d bogus, %d unknown",
		st.label, n.Listed, n.NotListed, n.Refused, n.Error, n.Bogus, n.Unknown)
	if n.Unchecked > 0 {
		fmt.Fprintf(bw, ", %d unchecked", n.Unchecked)
	}
	if n.Policy+n.Informational > 0 {
		fmt.Fprintf(bw, " (of the listings: %d policy, %d informational)", n.Policy, n.Informational)
	}
	if n.Allowlisted > 0 {
		fmt.Fprintf(bw, ", %d allowlisted", n.Allowlisted)
	}
	fmt.Fprintf(bw, " (%s on %s, %.1fs)\n", plural(rep.Lookups, "lookup"), plural(rep.ListsQueried, "list"), rep.Finished.Sub(rep.Started).Seconds())
	return bw.Flush()
}

func resultsByTarget(rep *dnsbl.Report) map[string][]dnsbl.Result {
	out := map[string][]dnsbl.Result{}
	for _, r := range rep.Results {
		out[r.Target] = append(out[r.Target], r)
	}
	return out
}

func writeTargetText(w io.Writer, rep *dnsbl.Report, unusable map[string]bool, t dnsbl.TargetInfo, results []dnsbl.Result) {
	head := textsafe.Line(t.Input)
	if len(t.Addresses) > 0 {
		head += " (" + strings.Join(t.Addresses, ", ") + ")"
	}
	fmt.Fprintln(w, head)
	if t.Error != "" {
		fmt.Fprintf(w, "  %-10s %s\n", "ERROR", textsafe.Line(t.Error))
	}
	if t.Note != "" {
		fmt.Fprintf(w, "  %-10s %s\n", "note", textsafe.Line(t.Note))
	}
	for _, r := range results {
		if r.Verdict == dnsbl.Listed {
			writeListedText(w, rep, t, r)
		}
	}
	for _, g := range groupResults(unusable, results) {
		writeGroupText(w, t, g)
	}
	writeUnusableText(w, unusable, results)
	writeCleanText(w, results)
	writeUncheckedText(w, results)
}

// writeUncheckedText names, per address some list covers, the lists that
// do not answer its family: not checked is said, never left out. An
// address no list covers is said once, by the target's error or note
// ("no selected list covers ...").
func writeUncheckedText(w io.Writer, results []dnsbl.Result) {
	uncovered := uncoveredQueries(results)
	byQuery := map[string][]string{}
	var order []string
	for _, r := range results {
		if r.Verdict != dnsbl.Unchecked || uncovered[r.Query] {
			continue
		}
		if byQuery[r.Query] == nil {
			order = append(order, r.Query)
		}
		byQuery[r.Query] = append(byQuery[r.Query], textsafe.Line(r.List))
	}
	for _, q := range order {
		fmt.Fprintf(w, "  %-10s %s  on %s: not queried, these lists do not answer its address family\n", "UNCHECKED", textsafe.Line(q), strings.Join(byQuery[q], ", "))
	}
}

// uncoveredQueries are the addresses whose every result is unchecked: no
// selected list covers them, which dnsbl says in the target's error or
// note.
func uncoveredQueries(results []dnsbl.Result) map[string]bool {
	out := map[string]bool{}
	for _, r := range results {
		covered, seen := out[r.Query]
		if !seen {
			covered = true
		}
		out[r.Query] = covered && r.Verdict == dnsbl.Unchecked
	}
	return out
}

func writeListedText(w io.Writer, rep *dnsbl.Report, t dnsbl.TargetInfo, r dnsbl.Result) {
	label := "LISTED"
	switch {
	case isAllowlist(rep, r.List):
		label = "allowlisted"
	case r.Severity == dnsbl.SeverityPolicy:
		label = "LISTED/pol" // policy listing (PBL): a warning
	case r.Severity == dnsbl.SeverityInformational:
		label = "LISTED/inf" // informational (URIBL grey): no status change
	}
	fmt.Fprintf(w, "  %-10s %s%s  %s  %s\n", label, queryPrefix(t, r.Query), textsafe.Line(r.List),
		strings.Join(r.Codes, ", "), textsafe.Line(r.Reason))
	for _, txt := range r.TXT {
		fmt.Fprintf(w, "  %-10s   TXT: %s\n", "", textsafe.Line(txt))
	}
	if r.Delist != "" {
		fmt.Fprintf(w, "  %-10s   delist: %s\n", "", textsafe.Line(r.Delist))
	}
}

func isAllowlist(rep *dnsbl.Report, list string) bool {
	l, ok := rep.List(list)
	return ok && l.Allowlist
}

// queryPrefix shows the address looked up when it differs from the target
// (networks, hostnames, registered domains).
func queryPrefix(t dnsbl.TargetInfo, query string) string {
	if query == t.Input {
		return ""
	}
	return textsafe.Line(query) + "  "
}

// resultGroup is the lookups of one target with the same non-listed,
// non-clean outcome on one list.
type resultGroup struct {
	verdict dnsbl.Verdict
	list    string
	reason  string
	queries []string
}

func groupResults(unusable map[string]bool, results []dnsbl.Result) []resultGroup {
	var groups []resultGroup
	index := map[string]int{}
	for _, r := range results {
		if r.Verdict == dnsbl.Listed || r.Verdict == dnsbl.NotListed || r.Verdict == dnsbl.Unchecked || unusable[r.List] {
			continue
		}
		key := string(r.Verdict) + "\x00" + r.List + "\x00" + r.Reason
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, resultGroup{verdict: r.Verdict, list: r.List, reason: r.Reason})
		}
		groups[i].queries = append(groups[i].queries, r.Query)
	}
	slices.SortStableFunc(groups, func(a, b resultGroup) int {
		return cmp.Compare(verdictOrder[a.verdict], verdictOrder[b.verdict])
	})
	return groups
}

func writeGroupText(w io.Writer, t dnsbl.TargetInfo, g resultGroup) {
	who := ""
	if len(g.queries) > 1 || g.queries[0] != t.Input {
		shown := g.queries
		more := ""
		if len(shown) > maxQueriesShown {
			more = fmt.Sprintf(" and %d more", len(shown)-maxQueriesShown)
			shown = shown[:maxQueriesShown]
		}
		who = textsafe.Line(strings.Join(shown, ", ")) + more + "  "
	}
	fmt.Fprintf(w, "  %-10s %s%s  %s\n", strings.ToUpper(string(g.verdict)), who, textsafe.Line(g.list), textsafe.Line(g.reason))
}

// unusableLists are the lists whose health check failed: their verdicts
// are summarised once per target, and explained once below.
func unusableLists(rep *dnsbl.Report) map[string]bool {
	out := map[string]bool{}
	for _, h := range rep.Health {
		if h.Status != dnsbl.Healthy && h.Status != dnsbl.Dead {
			out[h.List] = true
		}
	}
	return out
}

func writeUnusableText(w io.Writer, unusable map[string]bool, results []dnsbl.Result) {
	names := map[dnsbl.Verdict][]string{}
	seen := map[string]bool{}
	for _, r := range results {
		if !unusable[r.List] || r.Verdict == dnsbl.Listed || r.Verdict == dnsbl.NotListed || r.Verdict == dnsbl.Unchecked {
			continue
		}
		if key := string(r.Verdict) + "\x00" + r.List; !seen[key] {
			seen[key] = true
			names[r.Verdict] = append(names[r.Verdict], textsafe.Line(r.List))
		}
	}
	for _, v := range []dnsbl.Verdict{dnsbl.Refused, dnsbl.Error, dnsbl.Unknown} {
		if len(names[v]) > 0 {
			fmt.Fprintf(w, "  %-10s on %s: list not usable in this run (see below)\n", strings.ToUpper(string(v)), strings.Join(names[v], ", "))
		}
	}
}

// writeCleanText counts clean lookups instead of listing them.
func writeCleanText(w io.Writer, results []dnsbl.Result) {
	clean, lists := 0, map[string]bool{}
	for _, r := range results {
		if r.Verdict == dnsbl.NotListed {
			clean++
			lists[r.List] = true
		}
	}
	switch {
	case clean == 0:
	case clean == len(lists):
		fmt.Fprintf(w, "  %-10s on %s\n", "not listed", plural(len(lists), "list"))
	default:
		fmt.Fprintf(w, "  %-10s %s on %s\n", "not listed", plural(clean, "lookup"), plural(len(lists), "list"))
	}
}

func writeHealthText(w io.Writer, rep *dnsbl.Report) {
	var bad []dnsbl.Health
	for _, h := range rep.Health {
		if h.Status != dnsbl.Healthy {
			bad = append(bad, h)
		}
	}
	if len(bad) == 0 {
		return
	}
	fmt.Fprintln(w, "\nLists not usable in this run (RFC 5782 section 5 test points):")
	for _, h := range bad {
		effect := ""
		switch h.Status {
		case dnsbl.Unhealthy:
			effect = "; its answers count as \"unknown\""
		case dnsbl.HealthError:
			effect = "; its answers count as \"unknown\", and its lookups that failed as \"error\""
		case dnsbl.HealthRefused:
			effect = "; its answers count as \"refused\""
		case dnsbl.Dead:
			effect = "; not queried"
		}
		if h.NotQueried {
			effect = fmt.Sprintf("; remembered from an earlier run: not queried until its test points are asked again, its lookups count as %q", shunnedVerdict[h.Status])
		}
		fmt.Fprintf(w, "  %s (%s) %s: %s%s\n", textsafe.Line(h.List), textsafe.Line(h.Zone), h.Status, textsafe.Line(h.Reason), effect)
	}
}

// shunnedVerdict is what the lookups of a list not queried because of its
// remembered health count as (dnsbl's shunnedResult).
var shunnedVerdict = map[dnsbl.HealthStatus]dnsbl.Verdict{
	dnsbl.Unhealthy: dnsbl.Unknown, dnsbl.HealthRefused: dnsbl.Refused, dnsbl.HealthError: dnsbl.Error,
}

func writeWarningsText(w io.Writer, warnings []string) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintln(w, "\nWarnings:")
	for _, s := range warnings {
		fmt.Fprintf(w, "  ! %s\n", textsafe.Line(s))
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
