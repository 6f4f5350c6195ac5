package watch

import (
	"encoding/json"
	"strings"
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

// A listing change says how much it weighs, in the JSON a hook gets and
// in the text: a PBL listing alert must not read like an SBL one.
func TestChangeCarriesSeverity(t *testing.T) {
	cfg := Config{ConfirmRuns: 1}.WithDefaults()
	out := Outcome{Results: []dnsbl.Result{{Target: "192.0.2.20", Query: "192.0.2.20", List: "spamhaus-pbl", Zone: "pbl.test",
		Verdict: dnsbl.Listed, Codes: []string{"127.0.0.11"}, Severity: dnsbl.SeverityPolicy}}}
	det := detect(cfg, nil, out, time.Unix(0, 0), "watch")
	if len(det.changes) != 1 || det.changes[0].Severity != dnsbl.SeverityPolicy {
		t.Fatalf("changes = %+v, want one of severity policy", det.changes)
	}
	b, err := json.Marshal(det.changes[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"severity":"policy"`) {
		t.Errorf("JSON %s lacks the severity", b)
	}
	var text strings.Builder
	det.changes[0].writeText(&text)
	if !strings.Contains(text.String(), "  severity: policy\n") {
		t.Errorf("text %q lacks the severity", text.String())
	}
}
