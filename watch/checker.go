package watch

import (
	"context"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// Checker runs one check of the targets. The dnsbl package's checker is
// adapted to it in cmd/dnsblaudit; tests use a real one against loopback
// servers.
type Checker interface {
	Check(ctx context.Context, targets []string) (Outcome, error)
}

// Outcome is what one check found.
type Outcome struct {
	Results []dnsbl.Result
	// Health is the RFC 5782 section 5 health of every list checked.
	Health []ListHealth
	// Warnings are problems that are not results: a hostname target that
	// did not resolve, a public resolver a list refuses.
	Warnings []string
}

// ListHealth is one list's health in a run.
type ListHealth struct {
	List string `json:"list"`
	Zone string `json:"zone"`
	// Status is dnsbl's health status (healthy, unhealthy, refused,
	// error, dead); Healthy is Status == healthy.
	Status  string `json:"status"`
	Healthy bool   `json:"healthy"`
	Reason  string `json:"reason,omitempty"`
}

// CheckerFunc adapts a function to Checker.
type CheckerFunc func(ctx context.Context, targets []string) (Outcome, error)

// Check calls f.
func (f CheckerFunc) Check(ctx context.Context, targets []string) (Outcome, error) {
	return f(ctx, targets)
}
