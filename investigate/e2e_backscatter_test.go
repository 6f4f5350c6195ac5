package investigate_test

import (
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// The backscatter story (evidence/testdata/demo/README.md): the MX
// accepted 42 spams for made-up recipients and bounced each to its forged
// sender at another domain, 26 refused there, 8 accepted, 8 deferred; no
// host ran callouts against it. The case must say the MX's own
// backscatter is the cause, and not blame callouts.
func TestDemoBackscatter(t *testing.T) {
	dir, r, c := demoCase(t, "--logs", "backscatter")
	if len(c.Explanations) != 5 {
		t.Fatalf("%d explanations", len(c.Explanations))
	}
	best := c.Explanations[0]
	if best.Name != investigate.ExplainOwnBackscatter || best.Verdict != investigate.Supported {
		t.Fatalf("best explanation %s %s: %s", best.Name, best.Verdict, best.Summary)
	}
	for _, want := range []string{"42 bounces to other hosts", "26 of them refused there",
		"a run at 2026-11-20 09:10:00 UTC saw the subject clean", "after 42 of this MX's bounces"} {
		if !strings.Contains(best.Summary, want) {
			t.Errorf("backscatter summary lacks %q:\n%s", want, best.Summary)
		}
	}
	for _, f := range best.Facts {
		for _, l := range f.Lines {
			if strings.Contains(f.Text, "failed") && !strings.Contains(l.Raw, "status=bounced") {
				t.Errorf("fact %q quotes a line that is no failure: %s", f.Text, l.Raw)
			}
			if strings.Contains(f.Text, "failed") && (f.Time == nil || f.Time.Format("15:04:05") != "12:49:26") {
				t.Errorf("fact %q is dated %v, not at the first failure (12:49:26)", f.Text, f.Time)
			}
		}
	}
	verdicts := map[string]string{}
	for _, e := range c.Explanations {
		verdicts[e.Name] = e.Verdict
	}
	for name, want := range map[string]string{investigate.ExplainReceivedCallouts: investigate.NotSupported,
		investigate.ExplainOwnCallouts: investigate.NotSupported, investigate.ExplainOutboundSpam: investigate.NotSupported, investigate.ExplainOpenRelay: investigate.NotSupported} {
		if verdicts[name] != want {
			t.Errorf("%s: %s, want %s", name, verdicts[name], want)
		}
	}
	if c.Hypothesis.Verdict != investigate.NotSupported {
		t.Errorf("hypothesis %s", c.Hypothesis.Verdict)
	}
	o := c.Outbound
	if o == nil || o.Bounces.Generated != 42 || o.Bounces.Remote.Count != 42 || o.Bounces.Remote.Rejected != 26 ||
		o.Bounces.Remote.Deferred != 8 || len(o.Bounces.Recipients) != 42 || o.Local.Count != 48 || o.Local.Rejected != 42 {
		t.Errorf("outbound %+v", o)
	}
	if o != nil {
		got := map[string]int{}
		for _, s := range o.Senders {
			if !s.Auth {
				t.Errorf("sender %s not authenticated", s.Sender)
			}
			got[s.Sender] = s.Messages
		}
		if len(got) != 4 || got["alice"] != 2 || got["bob"] != 2 || got["carol"] != 1 || got["dave"] != 1 {
			t.Errorf("senders %v", got)
		}
	}
	if len(c.Notices) != 0 || len(c.Evidence.Probers) != 0 {
		t.Errorf("notices %d, probers %d: nobody ran callouts", len(c.Notices), len(c.Evidence.Probers))
	}
	if !strings.Contains(r.stdout, "Case 203.0.113.25: own-backscatter supported (received-callouts not_supported)") {
		t.Errorf("headline:\n%s", r.stdout)
	}
	checkHTML(t, dir, []string{"Best-supported explanation: own-backscatter (supported)", "What this MX sent", "bounces generated: 42, sent to other hosts: 42"})
}
