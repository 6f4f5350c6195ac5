package investigate_test

import (
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// The same spam without any probe: the case says plainly that the
// evidence does not support a callback explanation, and no callback
// notice is rendered.
func TestDemoNoCallouts(t *testing.T) {
	dir, _, c := demoCase(t, "--logs", "nocallouts")
	if c.Hypothesis.Verdict != investigate.NotSupported ||
		!strings.Contains(c.Hypothesis.Summary, "hold no SMTP callouts") ||
		!strings.Contains(c.Hypothesis.Summary, "does not support a callback explanation") {
		t.Errorf("hypothesis %s: %s", c.Hypothesis.Verdict, c.Hypothesis.Summary)
	}
	if len(c.Evidence.Probers) != 0 {
		t.Errorf("%d probers in logs without callouts", len(c.Evidence.Probers))
	}
	checkNotices(t, dir, c, 0)
	if len(c.Notices) != 0 {
		t.Errorf("notices rendered without callouts: %+v", c.Notices)
	}
	checkHTML(t, dir, []string{"No callbacks: the evidence does not support a callback explanation"})
}
