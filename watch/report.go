package watch

import (
	"fmt"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// Report is what one run found and changed.
type Report struct {
	RunID    int64     `json:"run_id,omitempty"` // 0 when no state is kept
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Targets  int       `json:"targets"` // distinct addresses and domains looked up
	Lists    int       `json:"lists"`
	// Counts is the number of results per verdict.
	Counts  map[dnsbl.Verdict]int `json:"counts"`
	Changes []Change              `json:"changes"`
	// Listed are this run's listings (confirmed or not), for the exit code
	// and the summary.
	Listed    []dnsbl.Result `json:"-"`
	Unhealthy []ListHealth   `json:"-"`
	Warnings  []string       `json:"warnings,omitempty"`
	Results   []dnsbl.Result `json:"-"`
	Health    []ListHealth   `json:"-"`
}

// verdictOrder is the order counts are printed in.
var verdictOrder = []dnsbl.Verdict{dnsbl.Listed, dnsbl.NotListed, dnsbl.Refused, dnsbl.Error, dnsbl.Bogus, dnsbl.Unknown, dnsbl.Unchecked}

// CountsLine is "1 listed, 19 not_listed, ..." (zero counts left out).
func (r *Report) CountsLine() string { return CountsLine(r.Counts) }

// CountsLine writes verdict counts (a Report's, or a recorded run's) as
// "1 listed, 19 not_listed, ...", in the verdicts' usual order, zero
// counts left out.
func CountsLine(counts map[dnsbl.Verdict]int) string {
	var parts []string
	for _, v := range verdictOrder {
		if n := counts[v]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, v))
		}
	}
	if len(parts) == 0 {
		return "no results"
	}
	return strings.Join(parts, ", ")
}

// Indefinite is the number of results that could not tell listed from
// clean.
func (r *Report) Indefinite() int {
	return r.Counts[dnsbl.Refused] + r.Counts[dnsbl.Error] + r.Counts[dnsbl.Bogus] + r.Counts[dnsbl.Unknown]
}

func newReport(started, finished time.Time, out Outcome) *Report {
	r := &Report{Started: started, Finished: finished, Counts: map[dnsbl.Verdict]int{},
		Results: out.Results, Health: out.Health, Changes: []Change{}, Warnings: out.Warnings}
	targets, lists := map[string]bool{}, map[string]bool{}
	for _, res := range out.Results {
		r.Counts[res.Verdict]++
		targets[TargetKey(res)] = true
		lists[res.List] = true
		if res.Verdict == dnsbl.Listed {
			r.Listed = append(r.Listed, res)
		}
	}
	for _, h := range out.Health {
		lists[h.List] = true
		if !h.Healthy {
			r.Unhealthy = append(r.Unhealthy, h)
		}
	}
	r.Targets, r.Lists = len(targets), len(lists)
	return r
}

// HasListing reports a listing of severity block in this run (confirmed
// or not): the command's critical exit status, like check. Policy
// listings (PBL) and informational ones (URIBL grey, UCEPROTECT 2/3) are
// not critical.
func (r *Report) HasListing() bool {
	for _, l := range r.Listed {
		if l.Severity != dnsbl.SeverityPolicy && l.Severity != dnsbl.SeverityInformational {
			return true
		}
	}
	return false
}

// hasPolicyListing reports a listing of severity policy: a warning.
func (r *Report) hasPolicyListing() bool {
	for _, l := range r.Listed {
		if l.Severity == dnsbl.SeverityPolicy {
			return true
		}
	}
	return false
}

// HasWarning reports indefinite verdicts, unhealthy lists, targets that
// could not be checked, or a policy listing.
func (r *Report) HasWarning() bool {
	return r.Indefinite() > 0 || len(r.Unhealthy) > 0 || len(r.Warnings) > 0 || r.hasPolicyListing()
}
