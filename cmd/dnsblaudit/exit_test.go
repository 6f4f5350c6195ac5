package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExitCode(t *testing.T) {
	cases := []struct {
		err     error
		code    int
		wantErr string
	}{
		{nil, exitOK, ""},
		{withCode(exitCritical, ""), exitCritical, ""},
		{fmt.Errorf("wrapped: %w", withCode(exitWarning, "careful")), exitWarning, "careful"},
		{errors.New("boom\x1b[2J\nsecond line"), exitUnknown, "boom\uFFFD[2J second line"},
	}
	for _, c := range cases {
		var stderr bytes.Buffer
		if got := exitCode(c.err, &stderr); got != c.code {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.code)
		}
		if !strings.Contains(stderr.String(), c.wantErr) || strings.Count(stderr.String(), "\n") > 1 {
			t.Errorf("stderr %q, want one line with %q", stderr.String(), c.wantErr)
		}
	}
}

func TestBadConfigIsUnknown(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(p, []byte("targets: [x]\nbogus_key: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"dnsblaudit", "--config", p, "check", "192.0.2.1"}, &out, &errb)
	if code != exitUnknown {
		t.Fatalf("exit %d, want %d (stderr %q)", code, exitUnknown, errb.String())
	}
	if !strings.Contains(errb.String(), "bad.yaml") || !strings.Contains(errb.String(), "bogus_key") {
		t.Errorf("stderr %q does not name the file and field", errb.String())
	}
}

func TestVersion(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"dnsblaudit", "--version"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), "dnsblaudit version") {
		t.Fatalf("exit %d, out %q", code, out.String())
	}
}

func TestBadLogLevel(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"dnsblaudit", "--log-level", "loud", "check", "192.0.2.1"}, &out, &errb)
	if code != exitUnknown || !strings.Contains(errb.String(), "--log-level") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// The example configuration is valid for every command that reads it, not
// only for watch: notify validates its section when it runs.
func TestExampleConfigServesNotify(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	args := []string{"dnsblaudit", "--config", "../../examples/config.yaml", "--state", filepath.Join(dir, "s.db"),
		"notify", "--case", "../../investigate/testdata/nosuchcase", "--out", dir}
	run(args, &out, &errb)
	if strings.Contains(errb.String(), "config") {
		t.Fatalf("example configuration refused: %s", errb.String())
	}
}

// Long malformed lines are clipped for the text report without tearing a
// UTF-8 sequence apart.
func TestClipTextKeepsUTF8(t *testing.T) {
	s := strings.Repeat("a", 159) + "é" + "tail"
	got := textsafe.Clip(s, 160)
	if !utf8.ValidString(got) || got != strings.Repeat("a", 159)+"…" {
		t.Fatalf("clipText = %q", got)
	}
	if textsafe.Clip("short", 160) != "short" {
		t.Fatal("short text changed")
	}
}
