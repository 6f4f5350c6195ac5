package watch

import (
	"context"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// DNSBL adapts a *dnsbl.Checker to Checker. Allowlists (DNSWL and the
// like) are left out: being on one is good news, not a listing to alert on.
func DNSBL(c *dnsbl.Checker) Checker {
	return CheckerFunc(func(ctx context.Context, targets []string) (Outcome, error) {
		rep, err := c.Check(ctx, targets, nil)
		if err != nil {
			return Outcome{}, err
		}
		return FromReport(rep), nil
	})
}

// FromReport converts a dnsbl report.
func FromReport(rep *dnsbl.Report) Outcome {
	allow := map[string]bool{}
	for _, l := range rep.Lists {
		allow[l.Name] = l.Allowlist
	}
	out := Outcome{Warnings: append([]string(nil), rep.Warnings...)}
	for _, r := range rep.Results {
		if !allow[r.List] {
			out.Results = append(out.Results, r)
		}
	}
	for _, h := range rep.Health {
		if !allow[h.List] {
			out.Health = append(out.Health, ListHealth{List: h.List, Zone: h.Zone, Status: string(h.Status),
				Healthy: h.Status == dnsbl.Healthy, Reason: h.Reason})
		}
	}
	for _, t := range rep.Targets {
		if t.Error != "" {
			out.Warnings = append(out.Warnings, t.Input+": "+t.Error)
		}
	}
	return out
}
