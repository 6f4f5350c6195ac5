package investigate_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// readCase loads DIR/case.json.
func readCase(t *testing.T, dir string) *investigate.Case {
	t.Helper()
	c, err := investigate.ReadJSON(filepath.Join(dir, investigate.CaseFile))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// demoCase plays the demo with flags ("--logs", "backscatter") into a
// new case directory and reads its case; a demo that fails ends the test.
func demoCase(t *testing.T, flags ...string) (dir string, r result, c *investigate.Case) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "case")
	r = run(t, append([]string{"demo", "--out", dir}, flags...)...)
	if r.code != 0 {
		t.Fatalf("demo exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	return dir, r, readCase(t, dir)
}

// The demo plays the article's story offline and writes a case that says
// so, with the contacts of every prober and notices ready for review.
func TestDemoStory(t *testing.T) {
	dir, r, c := demoCase(t)
	for _, want := range []string{"LISTED", "BOGUS", "UNKNOWN", "refused", "error", "not listed", "Case directory: " + dir, "supported"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if c.Hypothesis.Verdict != investigate.Supported {
		t.Fatalf("hypothesis %s: %s", c.Hypothesis.Verdict, c.Hypothesis.Summary)
	}
	for _, want := range []string{"Spam forging addresses in example.com began at 2026-11-20 12:49:25 UTC", "from T0+41 s, ",
		"callbackrl began at 2026-11-20 15:10:00 UTC", `"dictionary attacks"`} {
		if !strings.Contains(c.Hypothesis.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, c.Hypothesis.Summary)
		}
	}
	// The other causes are weighed too, and the logs rule them out.
	if e := c.Explanations; len(e) != 5 || e[0].Name != investigate.ExplainReceivedCallouts || e[0].Verdict != investigate.Supported ||
		e[1].Verdict != investigate.NotSupported || e[2].Verdict != investigate.NotSupported || e[3].Verdict != investigate.NotSupported ||
		e[4].Verdict != investigate.NotSupported {
		t.Errorf("explanations %+v", e)
	}
	checkDemoEvidence(t, c)
	checkDemoLinkKinds(t, dir, c)
	checkDemoContacts(t, c)
	checkNotices(t, dir, c, 4)
	checkNotifyReadsCase(t, dir, 4)
	checkHTML(t, dir, []string{"203.0.113.25", "Callbacks explain the listing", "mx42.filter.example-1795179005-testing@example.com",
		"abuse@hosting.example.net", "keerheior@example.com", "1795179005 = 2026-11-20 12:50:05 UTC", "log time 1 s after prober clock"})
	checkNoRealHolder(t, dir)
}

// checkNoRealHolder: the demo's probers are made up, so nothing in the case
// (case.json with the raw registry answers, reports, notices) may name a
// real company, person, address or number of the fixtures their registry
// answers derive from.
func checkNoRealHolder(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if leak := whoistest.LeakedIdentities(string(data)); len(leak) > 0 {
			t.Errorf("%s names %q", path, leak)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// demoProbers is the table of evidence/testdata/demo/README.md: probes
// and, for Exim random callouts, the prober's clock skew.
var demoProbers = []struct {
	ip   string
	n    int
	skew float64
}{
	{"192.0.2.65", 1, 1}, {"192.0.2.66", 4, -2}, {"192.0.2.67", 4, 0}, {"192.0.2.70", 1, 3},
	{"192.0.2.71", 4, 0}, {"192.0.2.72", 5, -1}, {"192.0.2.73", 3, 37}, {"2001:db8:f1::25", 3, 2},
	{"198.51.100.40", 1, -5}, {"203.0.113.200", 2, 1}, {"198.51.100.77", 4, 0}, {"192.0.2.200", 2, 0},
}

func checkDemoEvidence(t *testing.T, c *investigate.Case) {
	t.Helper()
	for _, w := range demoProbers {
		p := prober(c, w.ip)
		if p == nil || p.Probes != w.n {
			t.Errorf("prober %s: %+v, want %d probes", w.ip, p, w.n)
			continue
		}
		e := p.Events[0]
		if e.Kind == "exim-random" && (e.Epoch == nil || e.SkewSec == nil || *e.SkewSec != w.skew || e.Epoch.Unix() != epochIn(e.Recipients)) {
			t.Errorf("prober %s: epoch %v skew %v, want the epoch of %v and %v s", w.ip, e.Epoch, e.SkewSec, e.Recipients, w.skew)
		}
	}
	if p := prober(c, "198.51.100.99"); p != nil {
		// Backscatter (real bounces, retried) is not a callout; the scan
		// still counts it as one: reported to the evidence package.
		t.Logf("known: backscatter host 198.51.100.99 reported as a prober (%d probes, %v)", p.Probes, p.Kinds)
	}
	forged := map[string]bool{}
	for _, f := range c.Evidence.Campaign.ForgedSenders {
		forged[f.Address] = true
	}
	for _, a := range []string{"keerheior", "anecowuutp", "pkgreewaa", "eemioiyv", "euiosvob", "otjllo", "akuolsymwt", "vbehmonmin"} {
		if !forged[a+"@example.com"] {
			t.Errorf("forged sender %s@example.com not found", a)
		}
	}
	if len(forged) != 8 {
		t.Errorf("forged senders %v, want the 8 of the story", forged)
	}
	if len(c.Listings) != 1 || c.Listings[0].Since == nil || c.Listings[0].SinceSource != "history" {
		t.Errorf("listings %+v: want callbackrl with its start from history", c.Listings)
	}
}

func checkDemoContacts(t *testing.T, c *investigate.Case) {
	t.Helper()
	want := map[string]string{"192.0.2.65": "abuse@hosting.example.net", "198.51.100.77": "abuse@isp.example.com",
		"2001:db8:f1::25": "abuse@filter.example", "203.0.113.200": "abuse@net.example.org"}
	for _, pc := range c.Contacts {
		if len(pc.Contacts) == 0 {
			t.Errorf("no contact for %s: %s", pc.IP, pc.Error)
			continue
		}
		if w, ok := want[pc.IP]; ok && pc.Contacts[0].Address != w {
			t.Errorf("contact of %s = %s, want %s", pc.IP, pc.Contacts[0].Address, w)
		}
	}
}

// checkNotices: every notice in case.json exists, and callback notices
// number want.
func checkNotices(t *testing.T, dir string, c *investigate.Case, want int) {
	t.Helper()
	callbacks := 0
	for _, n := range c.Notices {
		data, err := os.ReadFile(filepath.Join(dir, n.File))
		if err != nil {
			t.Errorf("notice %s: %v", n.File, err)
			continue
		}
		if n.Kind == "callback-notice" {
			callbacks++
			if !strings.Contains(string(data), "Subject: ") || len(n.To) == 0 {
				t.Errorf("callback notice %s has no subject or recipient", n.File)
			}
		}
	}
	if callbacks != want {
		t.Errorf("%d callback notices, want %d", callbacks, want)
	}
}

func prober(c *investigate.Case, ip string) *evidence.Prober {
	for i := range c.Evidence.Probers {
		if c.Evidence.Probers[i].IP == ip {
			return &c.Evidence.Probers[i]
		}
	}
	return nil
}

// checkNotifyReadsCase: `dnsblaudit notify --case DIR` (a dry run) reads
// the case and renders the same callback notices, as docs/notify.md says.
func checkNotifyReadsCase(t *testing.T, dir string, want int) {
	t.Helper()
	tmp := t.TempDir()
	cfg := filepath.Join(tmp, "config.yaml")
	if err := os.WriteFile(cfg, []byte("notify:\n  from: \"Example Postmaster <postmaster@example.com>\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "notices")
	r := run(t, "--config", cfg, "--state", filepath.Join(tmp, "state.db"), "notify", "--case", dir, "--no-lookup", "--out", out)
	if r.code != 0 {
		t.Fatalf("notify --case: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.eml"))
	if len(files) != want {
		t.Errorf("notify --case wrote %d notices, want %d: %v", len(files), want, files)
	}
}
