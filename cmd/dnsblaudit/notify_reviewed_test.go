package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/smtptest"
)

// reviewedCase renders the test notices as a dry run into DIR/notices and
// writes a case.json listing them, as investigate does.
func reviewedCase(t *testing.T, cfg, st string) (dir string, files []string) {
	t.Helper()
	dir = t.TempDir()
	out := filepath.Join(dir, "notices", "callback-notice")
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "--format", "json", "notify",
		"--evidence", notifyEvidence, "--no-lookup", "--out", out)
	if code != exitWarning {
		t.Fatalf("dry run: exit %d: %s", code, stderr)
	}
	var sum notifySummaryJSON
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	var notices []map[string]any
	for _, n := range sum.Notices {
		rel, _ := filepath.Rel(dir, n.File)
		notices = append(notices, map[string]any{"file": rel, "kind": n.Template, "to": n.To, "subject": n.Subject, "about": n.Probers})
		files = append(files, n.File)
	}
	ev, _ := os.ReadFile(notifyEvidence)
	nj, _ := json.Marshal(notices)
	caseJSON := `{"schema":"dnsblaudit.case/v1","evidence":` + string(ev) + `,"notices":` + string(nj) + `}`
	if err := os.WriteFile(filepath.Join(dir, "case.json"), []byte(caseJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, files
}

// `notify --case DIR --send --yes` delivers the reviewed files byte for
// byte to a real SMTP server on loopback, and refuses the one marked
// needs-review until it is named with --include-review.
func TestNotifyCaseSendsReviewedFiles(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	cfg, st := notifyConfig(t, fmt.Sprintf("  smtp:\n    host: %s\n    port: %d\n    tls: none\n", srv.Host, srv.Port))
	dir, files := reviewedCase(t, cfg, st)
	if len(files) != 3 || !strings.HasPrefix(filepath.Base(files[2]), "NEEDS-RECIPIENT-") {
		t.Fatalf("files %q", files)
	}
	first, _ := os.ReadFile(files[0])
	first = bytes.Replace(first, []byte("Hello,"), []byte("Hello, (reviewed by Jane)"), 1)
	os.WriteFile(files[0], first, 0o600)
	second, _ := os.ReadFile(files[1])
	os.WriteFile(files[1], append([]byte("X-Dnsblaudit-Needs-Review: check this desk\r\n"), second...), 0o600)

	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--case", dir, "--send", "--yes")
	if code != exitWarning || !strings.Contains(stdout, "1 sent, 2 held") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	got := srv.Messages(t)
	if len(got) != 1 || !bytes.Equal(got[0].Data, first) {
		t.Fatalf("server got %d messages; the first is not the reviewed file's bytes", len(got))
	}
	if !strings.Contains(stdout, "--include-review") {
		t.Errorf("the held notice does not say how to send it:\n%s", stdout)
	}
	code, stdout, _ = notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--case", dir, "--send", "--yes",
		"--include-review", filepath.Base(files[1]))
	if code != exitWarning || !strings.Contains(stdout, "1 sent, 1 held, 1 sent before") {
		t.Fatalf("second run: exit %d\n%s", code, stdout)
	}
	if got = srv.Messages(t); len(got) != 2 || !bytes.Equal(got[1].Data, second) {
		t.Fatalf("named file: server has %d messages; the second is not the file minus its X-Dnsblaudit field", len(got))
	}
	// A name that matches no notice is an error, not a silent no-op.
	if code, _, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--case", dir, "--send", "--yes",
		"--include-review", "02-typo.eml"); code != exitUnknown || !strings.Contains(stderr, "names no notice") {
		t.Errorf("typo: exit %d, %s", code, stderr)
	}
	// A rerun sends nothing.
	notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--case", dir, "--send", "--yes", "--include-review", filepath.Base(files[1]))
	if n := len(srv.Messages(t)); n != 2 {
		t.Errorf("rerun: server has %d messages", n)
	}
}
