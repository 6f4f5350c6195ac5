package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/state"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// historySelector picks targets: all, one exact target, or a prefix.
type historySelector struct {
	exact  string
	prefix netip.Prefix
}

func parseHistoryTarget(s string) (historySelector, error) {
	if s == "" {
		return historySelector{}, nil
	}
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return historySelector{}, fmt.Errorf("history target %q: %w", s, err)
		}
		return historySelector{prefix: p.Masked()}, nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return historySelector{exact: a.String()}, nil // canonical form, as recorded
	}
	return historySelector{exact: strings.ToLower(strings.TrimSuffix(s, "."))}, nil
}

func (s historySelector) match(target string) bool {
	switch {
	case s.prefix.IsValid():
		a, err := netip.ParseAddr(target)
		return err == nil && s.prefix.Contains(a)
	case s.exact != "":
		return target == s.exact
	}
	return true
}

// history is the JSON document of `history --format json`
// (docs/history-json.md).
type history struct {
	Schema    string           `json:"schema"` // dnsblaudit.history/v1
	State     string           `json:"state"`
	Runs      historyRuns      `json:"runs"`
	Intervals []state.Interval `json:"intervals"`
	Changes   []state.Change   `json:"changes"`
	// Recent are the last runs, newest first (--runs N).
	Recent []state.Run `json:"recent_runs,omitempty"`
}

type historyRuns struct {
	Count int        `json:"count"`
	First *time.Time `json:"first,omitempty"`
	Last  *time.Time `json:"last,omitempty"`
}

func loadHistory(ctx context.Context, db *state.DB, sel historySelector, list string) (*history, error) {
	h := &history{Schema: "dnsblaudit.history/v1", State: db.Path(), Intervals: []state.Interval{}, Changes: []state.Change{}}
	ivs, err := db.Intervals(ctx, state.IntervalFilter{Target: sel.exact, List: list})
	if err != nil {
		return nil, err
	}
	for _, iv := range ivs {
		if sel.match(iv.Target) {
			h.Intervals = append(h.Intervals, iv)
		}
	}
	changes, err := db.Changes(ctx, sel.exact)
	if err != nil {
		return nil, err
	}
	for _, c := range changes {
		if (list == "" || c.List == list) && (c.Subject == state.SubjectHealth || sel.match(c.Target)) {
			h.Changes = append(h.Changes, c)
		}
	}
	span, err := db.RunSpan(ctx)
	if err != nil {
		return nil, err
	}
	h.Runs.Count = span.Count
	if span.Count > 0 {
		h.Runs.First, h.Runs.Last = &span.First, &span.Last
	}
	return h, nil
}

func writeHistoryJSON(w io.Writer, h *history) error {
	return writeIndentedJSON(w, h)
}

const historyTime = "2006-01-02 15:04 UTC"

func fmtTime(t time.Time) string { return t.UTC().Format(historyTime) }

// writeHistoryText prints one block per target, one line per listing
// interval, then the list-health changes. TXT is shown sanitised.
func writeHistoryText(w io.Writer, h *history) {
	if h.Runs.Count == 0 {
		fmt.Fprintf(w, "No runs recorded in %s yet.\n", h.State)
		return
	}
	fmt.Fprintf(w, "%d run(s) from %s to %s\n", h.Runs.Count, fmtTime(*h.Runs.First), fmtTime(*h.Runs.Last))
	if len(h.Intervals) == 0 {
		fmt.Fprintln(w, "\nNo listings recorded.")
	}
	prev := ""
	for _, iv := range h.Intervals {
		if iv.Target != prev {
			fmt.Fprintf(w, "\n%s\n", textsafe.Line(iv.Target))
			prev = iv.Target
		}
		writeInterval(w, iv)
	}
	writeHealthChanges(w, h.Changes)
	writeRecentRuns(w, h.Recent)
}

func writeRecentRuns(w io.Writer, runs []state.Run) {
	if len(runs) == 0 {
		return
	}
	fmt.Fprintln(w, "\nRecent runs")
	for _, r := range runs {
		fmt.Fprintf(w, "  %5d  %s  %-5s  %d target(s), %s; %d change(s), %s\n", r.ID, fmtTime(r.Finished), r.Source,
			r.Targets, watch.CountsLine(r.Verdicts), r.Changes, r.Finished.Sub(r.Started).Round(time.Millisecond))
	}
}

func writeInterval(w io.Writer, iv state.Interval) {
	span := fmt.Sprintf("listed since %s (last seen %s)", fmtTime(iv.FirstSeen), fmtTime(iv.LastSeen))
	switch {
	case iv.ClosedAs == "unmonitored":
		// the target or list stopped being checked, or nobody checked for
		// longer than watch.max_gap: what came after is not known
		span = fmt.Sprintf("listed %s to %s (then unmonitored)", fmtTime(iv.FirstSeen), fmtTime(iv.LastSeen))
	case !iv.Open():
		span = fmt.Sprintf("listed %s to %s (cleared %s)", fmtTime(iv.FirstSeen), fmtTime(iv.LastSeen), fmtTime(iv.ClearedAt))
	}
	fmt.Fprintf(w, "  %-16s %s, %d run(s), codes %s\n", textsafe.Line(iv.List), span, iv.SeenRuns,
		textsafe.Line(strings.Join(iv.Codes, " ")))
	for _, t := range iv.TXT {
		fmt.Fprintf(w, "  %-16s   %q\n", "", textsafe.Line(t))
	}
	if iv.Open() && iv.Delist != "" {
		fmt.Fprintf(w, "  %-16s   delisting: %s\n", "", textsafe.Line(iv.Delist))
	}
}

func writeHealthChanges(w io.Writer, cs []state.Change) {
	header := false
	for _, c := range cs {
		if c.Subject != state.SubjectHealth {
			continue
		}
		if !header {
			fmt.Fprintln(w, "\nList health")
			header = true
		}
		line := fmt.Sprintf("  %s  %-16s %s", fmtTime(c.At), c.List, c.To)
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		fmt.Fprintln(w, textsafe.Line(line))
	}
}
