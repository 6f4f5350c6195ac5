package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// maxNagiosListed bounds the status line: monitoring systems truncate
// plugin output (Nagios at 8 KiB), and a person reads the first few.
const maxNagiosListed = 5

// writeCheckNagios prints one status line with performance data, as the
// Nagios plugin guidelines ask: "SERVICE STATUS - text | perfdata".
func writeCheckNagios(w io.Writer, rep *dnsbl.Report, st checkStatus, th thresholds) error {
	n := st.counts
	text := nagiosText(rep, st)
	secs := rep.Finished.Sub(rep.Started).Seconds()
	_, err := fmt.Fprintf(w, "DNSBL %s - %s | listed=%d;%d;%d;0 not_listed=%d;;;0 refused=%d;;;0 error=%d;;;0 bogus=%d;;;0 unknown=%d;;;0 allowlisted=%d;;;0 unchecked=%d;;;0 policy=%d;;;0 informational=%d;;;0 lookups=%d;;;0 time=%.3fs;;;0\n",
		st.label, textsafe.Line(text), n.Block(), th.warning, th.critical, n.NotListed, n.Refused, n.Error, n.Bogus, n.Unknown,
		n.Allowlisted, n.Unchecked, n.Policy, n.Informational, rep.Lookups, secs)
	return err
}

func nagiosText(rep *dnsbl.Report, st checkStatus) string {
	var parts []string
	if listed := listedSummary(rep); listed != "" {
		parts = append(parts, listed)
	}
	n := st.counts
	if lookups := n.Refused + n.Error + n.Bogus + n.Unknown; lookups > 0 {
		parts = append(parts, fmt.Sprintf("%d lookups without a verdict (%d refused, %d error, %d bogus, %d unknown)",
			lookups, n.Refused, n.Error, n.Bogus, n.Unknown))
	}
	for _, t := range rep.Targets {
		if t.Error != "" {
			parts = append(parts, t.Input+": "+t.Error)
		}
	}
	if partly := partlyUnchecked(rep.Results); partly > 0 {
		parts = append(parts, fmt.Sprintf("%d lookups unchecked (list does not answer the address family)", partly))
	}
	if len(rep.Warnings) > 0 {
		parts = append(parts, fmt.Sprintf("%d warnings: %s", len(rep.Warnings), rep.Warnings[0]))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%s, not listed", plural(rep.Lookups, "lookup"))
	}
	return strings.Join(parts, "; ")
}

// partlyUnchecked counts the unchecked results of addresses that some
// list covers; an address no list covers is said once, by its target's
// error.
func partlyUnchecked(results []dnsbl.Result) int {
	uncovered := uncoveredQueries(results)
	n := 0
	for _, r := range results {
		if r.Verdict == dnsbl.Unchecked && !uncovered[r.Query] {
			n++
		}
	}
	return n
}

// listedSummary: "192.0.2.1 on spamcop, spamhaus-zen" for each listed query.
func listedSummary(rep *dnsbl.Report) string {
	byQuery := map[string][]string{}
	var order []string
	for _, r := range rep.Results {
		if r.Verdict != dnsbl.Listed {
			continue
		}
		if l, ok := rep.List(r.List); ok && l.Allowlist {
			continue
		}
		if byQuery[r.Query] == nil {
			order = append(order, r.Query)
		}
		name := r.List
		if r.Severity == dnsbl.SeverityPolicy || r.Severity == dnsbl.SeverityInformational {
			name += " (" + string(r.Severity) + ")"
		}
		byQuery[r.Query] = append(byQuery[r.Query], name)
	}
	var out []string
	more := 0
	if len(order) > maxNagiosListed {
		more, order = len(order)-maxNagiosListed, order[:maxNagiosListed]
	}
	for _, q := range order {
		lists := byQuery[q]
		sort.Strings(lists)
		out = append(out, q+" listed on "+strings.Join(lists, ", "))
	}
	if more > 0 {
		out = append(out, fmt.Sprintf("and %d more listed", more))
	}
	return strings.Join(out, "; ")
}
