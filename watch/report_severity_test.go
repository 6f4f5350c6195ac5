package watch

import (
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// The watch's exit status counts severities like check: only a block
// listing is critical, a policy listing warns, an informational one
// does neither.
func TestReportSeverity(t *testing.T) {
	mk := func(sev dnsbl.Severity) *Report {
		return newReport(time.Time{}, time.Time{}, Outcome{Results: []dnsbl.Result{{Query: "192.0.2.1", List: "l", Verdict: dnsbl.Listed, Severity: sev}}})
	}
	tests := []struct {
		sev           dnsbl.Severity
		crit, warning bool
	}{
		{dnsbl.SeverityBlock, true, false},
		{"", true, false}, // results without a severity weigh as block
		{dnsbl.SeverityPolicy, false, true},
		{dnsbl.SeverityInformational, false, false},
	}
	for _, tt := range tests {
		r := mk(tt.sev)
		if r.HasListing() != tt.crit || r.HasWarning() != tt.warning {
			t.Errorf("%q: critical %v warning %v, want %v %v", tt.sev, r.HasListing(), r.HasWarning(), tt.crit, tt.warning)
		}
	}
}
