package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

const articleDir = "../../evidence/testdata/"

func runEvidence(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"dnsblaudit"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestEvidenceScanText(t *testing.T) {
	code, out, errs := runEvidence(t, "evidence", "scan", "--domain", "bsdly.com", "--time-zone", "Europe/Oslo",
		articleDir+"01-article-spamd.log", articleDir+"02-article-spamdb.dump")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	for _, want := range []string{"207.244.64.181", "exim-random", "mx18-12.smtp.antispamcloud.com", "keerheior@bsdly.com", "Probes after forgery",
		// 01-article-spamd.log: 207.244.64.181 asked only for
		// mx42.antispamcloud.com-1503146097-testing@bsdly.com (14:35:38); its link
		// to keerheior@bsdly.com (forged 13:49:25) is by time alone.
		"207.244.64.181 asked about a random address 46m13s after keerheior@bsdly.com was forged (2017-08-19 13:49:25 +0200, domain match: linked by time only)"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "asked about keerheior@bsdly.com") {
		t.Errorf("a random probe is said to have asked about a forged address:\n%s", out)
	}
}

func TestEvidenceScanJSONAndCSV(t *testing.T) {
	code, out, errs := runEvidence(t, "--format", "json", "evidence", "scan", "--domain", "victim.test", "--network", "10.0.0.0/8",
		articleDir+"07-mixed-maillog.log")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep evidence.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v", err)
	}
	// 192.0.2.200 (spamd GREY, null sender, no fingerprint) is a suspect.
	if len(rep.Probers) != 2 || len(rep.Suspects) != 1 || len(rep.Campaign.Links) != 1 || rep.Probers[0].Events[0].Lines[0].Raw == "" {
		t.Fatalf("report: %d probers, %d links", len(rep.Probers), len(rep.Campaign.Links))
	}
	code, out, _ = runEvidence(t, "evidence", "scan", "--format", "csv", "--domain", "victim.test", articleDir+"07-mixed-maillog.log")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != exitOK || err != nil || len(rows) < 5 || rows[0][0] != "time" {
		t.Fatalf("csv: exit %d, %v, %q", code, err, out)
	}
}

func TestEvidenceScanBadInput(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runEvidence(t, "evidence", "scan", filepath.Join(dir, "missing.log"))
	if code != exitUnknown || !strings.Contains(errs, "missing.log") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
	for _, args := range [][]string{
		{"evidence", "scan", "--since", "yesterday-ish", articleDir + "03-postfix.log"},
		{"evidence", "scan", "--network", "10.0.0.0/33", articleDir + "03-postfix.log"},
		{"evidence", "scan", "--log-format", "qmail", articleDir + "03-postfix.log"},
		{"evidence", "scan", "--format", "xml", articleDir + "03-postfix.log"},
		{"evidence", "scan"},
	} {
		if code, _, errs := runEvidence(t, args...); code != exitUnknown || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

func TestEvidenceScanFromConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	body := "own_domains: [victim.test]\nown_networks: [10.0.0.0/8]\nevidence:\n  logs: [\"" + articleDir + "07-mixed-*.log\"]\n  time_zone: UTC\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runEvidence(t, "--config", cfg, "--format", "json", "evidence", "scan")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep evidence.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Domains) != 1 || len(rep.Campaign.ForgedSenders) != 1 {
		t.Fatalf("config-driven scan: %v %+v", err, rep.Campaign)
	}
}

func TestEvidenceTextIsSafe(t *testing.T) {
	dir := t.TempDir()
	log := "Nov 27 05:42:16 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 550 x; from=<> to=<a@victim.test> proto=ESMTP helo=<evil\x1b[2J.example>\n" +
		"Nov 27 05:42:17 mx postfix/smtpd[1]: disconnect from unknown[192.0.2.9] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4\n"
	p := filepath.Join(dir, "maillog")
	os.WriteFile(p, []byte(log), 0o644)
	code, out, _ := runEvidence(t, "evidence", "scan", "--domain", "victim.test", p)
	if code != exitOK || strings.Contains(out, "\x1b") || !strings.Contains(out, "evil") {
		t.Fatalf("exit %d; escape sequence must not reach the terminal:\n%q", code, out)
	}
}

func TestParseEvidenceWhen(t *testing.T) {
	if _, err := parseEvidenceWhen("since", "7d", nowForTest, nil); err != nil {
		t.Error(err)
	}
	if v, err := parseEvidenceWhen("since", "72h", nowForTest, nil); err != nil || !v.Equal(nowForTest.Add(-72*3600e9)) {
		t.Errorf("72h: %v %v", v, err)
	}
}

var nowForTest = mustTime("2026-11-27T06:00:00Z")

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
