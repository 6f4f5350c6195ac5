package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/bounce"
)

const (
	articleBounce = "../../bounce/testdata/article/spamrl-exim.eml"
	sisimaiDir    = "../../bounce/testdata/sisimai"
)

func runBounceCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"dnsblaudit"}, args...), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestBounceCLIArticle(t *testing.T) {
	out, errOut, code := runBounceCLI(t, "bounce", articleBounce)
	if code != exitCritical {
		t.Fatalf("exit %d, want %d (a rejection blames a list); stderr %q", code, exitCritical, errOut)
	}
	for _, want := range []string{
		"DOMAINS@ANTISPAMCLOUD.COM 550 filter10.antispamcloud.com [31.204.155.103]",
		"BLOCKLISTED: spamrl (SpamRL (spamrl.com), provider)",
		"listed: 213.187.179.198",
		"delist: https://spamrl.com/",
		"DNS list: none (no DNS query can see this list)",
		"time: 2017-08-21 08:12:03 UTC (date)",
		"as a source of dictionary attacks.",
		"1 messages in 1 files: 1 failed recipients shown, 1 blocklisted (spamrl 1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBounceCLIJSON(t *testing.T) {
	out, errOut, code := runBounceCLI(t, "--format", "json", "bounce", "--blocklisted", sisimaiDir)
	if code != exitCritical {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var rep bounce.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Schema != bounce.Schema || rep.Files != 33 || len(rep.Failures) == 0 {
		t.Fatalf("report: schema %q files %d failures %d", rep.Schema, rep.Files, len(rep.Failures))
	}
	for _, f := range rep.Failures {
		if !f.Blocklisted || f.List == "" || f.File == "" {
			t.Errorf("--blocklisted let through %+v", f)
		}
	}
	// The documented field names (docs/bounce-json.md) are present.
	var raw struct {
		Failures []map[string]any `json:"failures"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "recipient", "status", "remote_mta", "diagnostic", "blocklisted", "list", "listed_ip", "listed_domain", "delist_url"} {
		if _, ok := raw.Failures[0][k]; !ok {
			t.Errorf("JSON failure lacks %q", k)
		}
	}
}

func TestBounceCLIOrdinaryAndErrors(t *testing.T) {
	out, errOut, code := runBounceCLI(t, "bounce", filepath.Join(sisimaiDir, "lhost-postfix-05.eml"))
	if code != exitOK || strings.Contains(out, "BLOCKLISTED") {
		t.Errorf("user unknown: exit %d, stderr %q\n%s", code, errOut, out)
	}
	if _, errOut, code = runBounceCLI(t, "bounce", filepath.Join(t.TempDir(), "missing.eml")); code != exitUnknown || !strings.Contains(errOut, "missing.eml") {
		t.Errorf("missing file: exit %d, stderr %q", code, errOut)
	}
	if _, _, code = runBounceCLI(t, "bounce"); code != exitUnknown {
		t.Errorf("no argument: exit %d", code)
	}
	if _, _, code = runBounceCLI(t, "--format", "csv", "bounce", articleBounce); code != exitUnknown {
		t.Errorf("--format csv: exit %d", code)
	}
}

// TestBounceCLIHostile: a stranger's rejection text cannot put control
// sequences on the terminal or into JSON raw.
func TestBounceCLIHostile(t *testing.T) {
	msg := "From: MAILER-DAEMON@x\nSubject: failure\n\n<a@example.net>: host mx.example.net[198.51.100.7] said: 554 5.7.1 \x1b]0;owned\x07 Client host [192.0.2.9] blocked using bl.spamcop.net \u202e\x1b[2J\n"
	path := filepath.Join(t.TempDir(), "hostile.eml")
	if err := os.WriteFile(path, []byte(msg), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		out, _, code := runBounceCLI(t, "--format", format, "bounce", path)
		if code != exitCritical {
			t.Errorf("%s: exit %d", format, code)
		}
		if strings.ContainsAny(out, "\x1b\x07\u202e") {
			t.Errorf("%s output carries control characters: %q", format, out)
		}
	}
}
