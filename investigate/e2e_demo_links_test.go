package investigate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// The demo's linked probes by kind, counted by reading
// internal/demo/data/story. Asked about forged addresses: the maillog
// sessions whose RCPT names one of the 8 forged senders, from=<> (192.0.2.66
// 4, .67 4, .71 4, .72 5, .73 3, 2001:db8:f1::25 3, 203.0.113.200 2,
// 198.51.100.77 4, 192.0.2.200 2): 31 probes from 9 hosts, the first at
// 12:50:12 (2001:db8:f1::25, maillog line 73), 47 s after the first forged
// use (keerheior@example.com, spamd.log line 9, 12:49:25). Asked only for an
// Exim random local part (grep -- -testing@ spamd.log): 192.0.2.65 at
// 12:50:06, 192.0.2.70 at 12:57:17, 198.51.100.40 at 13:10:25, 3 probes from
// 3 hosts, the first 41 s after the first forged use; the scan ties them to
// the campaign by time alone (link match "domain").
var demoLinkTexts = struct {
	summary       []string
	asked, byTime string
}{
	summary: []string{
		"from T0+47 s, 31 probes from 9 hosts asked about forged addresses within 1 d of a forged use; " +
			"from T0+41 s, 3 probes from 3 hosts asked about a random address soon after a forgery (linked by time only).",
		// The verdict counts both kinds as linked: 31 + 3.
		"after 34 of the callouts linked to forged senders",
	},
	asked:  "First callout asking about a forged address, 47 s after the first forged use; 31 probes from 9 hosts asked about forged addresses.",
	byTime: "First random-address callout after a forgery, 41 s after the first forged use; 3 probes from 3 hosts asked about a random address soon after a forgery (linked by time only)",
}

// checkDemoLinkKinds: the summary, the facts (case.json) and both reports
// count the probes that asked about forged addresses apart from the random
// probes linked by time only.
func checkDemoLinkKinds(t *testing.T, dir string, c *investigate.Case) {
	t.Helper()
	for _, want := range demoLinkTexts.summary {
		if !strings.Contains(c.Hypothesis.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, c.Hypothesis.Summary)
		}
	}
	facts := map[string]string{} // text by when
	for _, f := range c.Hypothesis.Facts {
		if f.Time != nil {
			facts[f.Time.UTC().Format("15:04:05")+" "+f.Text] = f.Text
		}
	}
	wantFact(t, facts, "12:50:12 "+demoLinkTexts.asked)
	wantFact(t, facts, "12:50:06 "+demoLinkTexts.byTime)
	md, err := os.ReadFile(filepath.Join(dir, investigate.MarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{demoLinkTexts.asked, demoLinkTexts.byTime, demoLinkTexts.summary[0]} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if strings.Contains(string(md), "34 probes from 12 hosts") {
		t.Error("report.md counts the random probes with those that asked about forged addresses")
	}
}

// wantFact: a fact at that time begins with that text.
func wantFact(t *testing.T, facts map[string]string, want string) {
	t.Helper()
	for k := range facts {
		if strings.HasPrefix(k, want) {
			return
		}
	}
	t.Errorf("no fact %q among %q", want, facts)
}
