package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/config"
	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// runCLI runs the app in-process and returns the exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"dnsblaudit"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// watchFixture serves list "bl" on loopback (192.0.2.1 listed) and writes
// a config pointing at it.
func watchFixture(t *testing.T) (cfgPath, statePath string) {
	t.Helper()
	s, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.ListIP("bl.test", "127.0.0.2", "test point", "127.0.0.2")
	s.ListIP("bl.test", "192.0.2.1", "Listed for spam", "127.0.0.2")
	dir := t.TempDir()
	cfgPath = filepath.Join(dir, "config.yaml")
	cfg := "targets: [192.0.2.1, 192.0.2.2]\n" +
		"dnsbl:\n  resolver: " + s.Addr + "\n  no_catalogue: true\n  no_cache: true\n" +
		"  lists:\n    - {name: bl, zone: bl.test, kind: ipv4, delist_url: 'https://bl.test/remove'}\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, filepath.Join(dir, "state.db")
}

func TestWatchCommandReportsOnceThenStaysQuiet(t *testing.T) {
	cfg, db := watchFixture(t)
	code, out, stderr := runCLI(t, "--config", cfg, "--state", db, "--format", "json", "watch", "--confirm-runs", "1")
	if code != exitCritical {
		t.Fatalf("first run: exit %d, want %d (listed); stderr %s", code, exitCritical, stderr)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) != 1 || lines[0]["event"] != "change" || lines[0]["kind"] != "listed" ||
		lines[0]["target"] != "192.0.2.1" || lines[0]["delist_url"] != "https://bl.test/remove" {
		t.Fatalf("first run printed %s", out)
	}
	code, out, _ = runCLI(t, "--config", cfg, "--state", db, "watch", "--confirm-runs", "1")
	if code != exitCritical || out != "" {
		t.Errorf("second run: exit %d, output %q; want 2 and silence (nothing changed)", code, out)
	}
	code, out, _ = runCLI(t, "--config", cfg, "--state", db, "history", "192.0.2.1")
	if code != exitOK || !strings.Contains(out, "listed since") || !strings.Contains(out, "2 run(s)") ||
		!strings.Contains(out, "https://bl.test/remove") {
		t.Errorf("history: exit %d:\n%s", code, out)
	}
	code, out, _ = runCLI(t, "--config", cfg, "--state", db, "--format", "json", "history", "192.0.2.0/24")
	var h history
	if err := json.Unmarshal([]byte(out), &h); err != nil || code != exitOK {
		t.Fatalf("history json: exit %d, %v:\n%s", code, err, out)
	}
	if h.Runs.Count != 2 || len(h.Intervals) != 1 || len(h.Changes) != 1 {
		t.Errorf("history json = %+v", h)
	}
}

func TestWatchRefusesForeignStateFile(t *testing.T) {
	cfg, db := watchFixture(t)
	content := []byte("192.0.2.1 listed\n")
	if err := os.WriteFile(db, content, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "--config", cfg, "--state", db, "watch")
	if code != exitUnknown || !strings.Contains(stderr, "not a dnsblaudit state database") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(db); !bytes.Equal(got, content) {
		t.Errorf("foreign file was modified")
	}
}

func TestHistoryWithoutStateFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	code, _, stderr := runCLI(t, "--state", db, "history")
	if code != exitUnknown || !strings.Contains(stderr, "no history yet") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("history created the state file")
	}
}

// TestExampleCommandLines checks that the systemd units and the cron line
// in examples/ use flags the commands really have.
func TestExampleCommandLines(t *testing.T) {
	files, _ := filepath.Glob("../../examples/systemd/*.service")
	files = append(files, "../../examples/cron/dnsblaudit")
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			_, rest, ok := strings.Cut(line, "/usr/bin/dnsblaudit ")
			if !ok || strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			n++
			if err := checkCommandLine(strings.Fields(rest)); err != "" {
				t.Errorf("%s: %s", f, err)
			}
		}
	}
	if n < 3 {
		t.Errorf("found %d command lines in examples, want at least 3", n)
	}
}

// checkCommandLine walks global flags, the command name and its flags.
func checkCommandLine(args []string) string {
	app := newApp(&bytes.Buffer{}, &bytes.Buffer{})
	flags := app.Flags
	var cmd *cli.Command
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "--") {
			if cmd != nil {
				continue // an argument
			}
			if cmd = app.Command(a); cmd == nil {
				return "unknown command " + a
			}
			flags = cmd.Flags
			continue
		}
		f := findFlag(flags, strings.TrimPrefix(a, "--"))
		if f == nil {
			return "unknown flag " + a
		}
		if _, isBool := f.(*cli.BoolFlag); !isBool {
			i++ // its value
		}
	}
	if cmd == nil {
		return "no command"
	}
	return ""
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func TestExampleConfigIsValid(t *testing.T) {
	cfg, err := config.Load("../../examples/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Watch.Validate(); err != nil {
		t.Error(err)
	}
	if err := cfg.DNSBL.Validate(); err != nil {
		t.Error(err)
	}
	if !cfg.Watch.Mail.Enabled() || len(cfg.Watch.Exec) == 0 || cfg.Watch.ConfirmRuns != 2 {
		t.Errorf("example watch section not read as written: %+v", cfg.Watch)
	}
}

func TestMailSettingsFromNotify(t *testing.T) {
	n := notify.Config{From: "abuse-desk@example.org", SMTP: notify.SMTPConfig{Host: "smtp.example.org", Port: 2525,
		TLS: "mandatory", Username: "u", PasswordEnv: "SMTP_PW"}}
	m, err := mailSettings(watch.MailConfig{To: []string{"postmaster@example.org"}}, n)
	if err != nil {
		t.Fatal(err)
	}
	if m.Host != "smtp.example.org" || m.Port != 2525 || m.TLS != "mandatory" || m.From != "abuse-desk@example.org" || m.PasswordEnv != "SMTP_PW" {
		t.Errorf("merged = %+v", m)
	}
	if err := (watch.Config{Mail: m}).Validate(); err != nil {
		t.Errorf("merged settings invalid: %v", err)
	}
	own := watch.MailConfig{Host: "relay.example.org", From: "w@example.org", To: []string{"p@example.org"}}
	if got, _ := mailSettings(own, n); got.Host != "relay.example.org" || got.From != "w@example.org" {
		t.Errorf("watch.mail overridden: %+v", got)
	}
	if _, err := mailSettings(watch.MailConfig{To: []string{"p@example.org"}}, notify.Config{}); err == nil {
		t.Error("recipients without any server accepted")
	}
}
