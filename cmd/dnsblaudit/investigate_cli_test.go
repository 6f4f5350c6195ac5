package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Bad input gives one clear line naming the culprit and exit 3.
func TestInvestigateBadInput(t *testing.T) {
	logf := filepath.Join(t.TempDir(), "maillog")
	if err := os.WriteFile(logf, []byte("Nov 20 12:00:00 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"investigate"}, "want exactly one IP address"},
		{[]string{"investigate", "mail.example.com"}, `"mail.example.com": not an IP address`},
		{[]string{"investigate", "--since", "yesterday", "192.0.2.1"}, `--since "yesterday"`},
		{[]string{"investigate", "--since", "2026-11-21", "--until", "2026-11-20", "192.0.2.1"}, "--since must be before --until"},
		{[]string{"--state", filepath.Join(t.TempDir(), "s.db"), "investigate", "192.0.2.1"}, "no logs to scan"},
		{[]string{"--format", "nagios", "investigate", "--log", logf, "192.0.2.1"}, `--format "nagios"`},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"dnsblaudit"}, tc.args...), &out, &errb)
		if code != exitUnknown || !strings.Contains(errb.String(), tc.want) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 3 and one line with %q", tc.args, code, errb.String(), tc.want)
		}
	}
}

func TestParseWhen(t *testing.T) {
	want := time.Date(2026, 11, 20, 12, 30, 0, 0, time.UTC)
	for _, s := range []string{"2026-11-20T12:30:00Z", "2026-11-20T13:30:00+01:00", "2026-11-20 12:30", "2026-11-20 12:30:00", "2026-11-20T12:30:00"} {
		got, err := parseWhen(flagSince, s)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	if got, err := parseWhen(flagSince, ""); err != nil || !got.IsZero() {
		t.Errorf("empty: %v %v", got, err)
	}
}

// The demo's case, printed as JSON with --format json, is the case.json it
// wrote; a log without callouts still makes a case (exit 0).
func TestInvestigateJSONOutput(t *testing.T) {
	tmp := t.TempDir()
	logf := filepath.Join(tmp, "maillog")
	if err := os.WriteFile(logf, []byte("2026-11-20T12:00:00+00:00 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(tmp, "config.yaml")
	conf := "dnsbl:\n  resolver: 127.0.0.1:9\n  timeout: 100ms\n  retries: -1\n  no_catalogue: true\n  lists: [{name: l, zone: l.test}]\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "case")
	var out, errb bytes.Buffer
	code := run([]string{"dnsblaudit", "--config", cfg, "--state", filepath.Join(tmp, "none.db"), "--format", "json",
		"investigate", "--no-whois", "--log", logf, "--domain", "example.com", "--since", "2026-11-19", "--until", "2026-11-21", "--out", dir, "192.0.2.25"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	written, err := os.ReadFile(filepath.Join(dir, "case.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), written) {
		t.Error("--format json output differs from case.json")
	}
	var c struct {
		Hypothesis struct{ Verdict string } `json:"hypothesis"`
		Warnings   []string                 `json:"warnings"`
	}
	if err := json.Unmarshal(written, &c); err != nil {
		t.Fatal(err)
	}
	if c.Hypothesis.Verdict != "not_supported" || len(c.Warnings) == 0 {
		t.Errorf("verdict %q, warnings %q: want not_supported and a warning that the lookups failed", c.Hypothesis.Verdict, c.Warnings)
	}
}
