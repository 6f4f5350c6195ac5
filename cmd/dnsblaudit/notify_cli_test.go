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

const notifyEvidence = "../../notify/testdata/evidence.json"

// notifyCLI runs the app with stdin and a fake terminal answer.
func notifyCLI(t *testing.T, stdin string, terminal bool, args ...string) (int, string, string) {
	t.Helper()
	old := stdinIsTerminal
	stdinIsTerminal = func() bool { return terminal }
	defer func() { stdinIsTerminal = old }()
	var out, errb bytes.Buffer
	app := newApp(&out, &errb)
	app.Reader = strings.NewReader(stdin)
	code := exitCode(app.Run(append([]string{"dnsblaudit"}, args...)), &errb)
	return code, out.String(), errb.String()
}

func notifyConfig(t *testing.T, smtp string) (cfg, state string) {
	t.Helper()
	dir := t.TempDir()
	cfg = filepath.Join(dir, "config.yaml")
	text := "notify:\n  from: \"Example Postmaster <postmaster@example.org>\"\n  name: Jane Doe\n  time_zone: Europe/Oslo\n" + smtp
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg, filepath.Join(dir, "state.db")
}

func TestNotifyDryRunWritesDrafts(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	out := filepath.Join(t.TempDir(), "review")
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify",
		"--evidence", notifyEvidence, "--no-lookup", "--out", out)
	if code != exitWarning { // one prober has no contact
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.eml"))
	if len(files) != 3 || !strings.Contains(stdout, "NEEDS-RECIPIENT-03") || !strings.Contains(stdout, "nothing sent") {
		t.Errorf("files %v, stdout:\n%s", files, stdout)
	}
	if _, err := os.Stat(st); !os.IsNotExist(err) {
		t.Error("a dry run created the state file")
	}
}

func TestNotifySendRefusesWithoutTerminal(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	cfg, st := notifyConfig(t, fmt.Sprintf("  smtp:\n    host: %s\n    port: %d\n    tls: none\n", srv.Host, srv.Port))
	code, _, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--evidence", notifyEvidence, "--no-lookup", "--send")
	if code != exitUnknown || !strings.Contains(stderr, "--yes") || len(srv.Messages(t)) != 0 {
		t.Errorf("exit %d, %d sent, stderr %s", code, len(srv.Messages(t)), stderr)
	}
	// On a terminal, anything but yes sends nothing.
	code, _, _ = notifyCLI(t, "n\n", true, "--config", cfg, "--state", st, "notify", "--evidence", notifyEvidence, "--no-lookup", "--send")
	if code != exitWarning || len(srv.Messages(t)) != 0 {
		t.Errorf("answered no: exit %d, %d sent", code, len(srv.Messages(t)))
	}
	code, _, stderr = notifyCLI(t, "y\n", true, "--config", cfg, "--state", st, "notify", "--evidence", notifyEvidence, "--no-lookup", "--send")
	if code != exitWarning || len(srv.Messages(t)) != 2 || !strings.Contains(stderr, "Send 2 notices via smtp? [y/N]") {
		t.Errorf("answered yes: exit %d, %d sent, stderr %s", code, len(srv.Messages(t)), stderr)
	}
}

// The whole loop through the command: send, then a rerun that sends
// nothing because the state file remembers.
func TestNotifySendThenRerun(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	cfg, st := notifyConfig(t, fmt.Sprintf("  smtp:\n    host: %s\n    port: %d\n    tls: none\n", srv.Host, srv.Port))
	args := []string{"--config", cfg, "--state", st, "--format", "json", "notify", "--evidence", notifyEvidence, "--no-lookup", "--send", "--yes"}
	code, stdout, stderr := notifyCLI(t, "", false, args...)
	if code != exitWarning {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum notifySummaryJSON
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err, stdout)
	}
	statuses := []string{}
	for _, n := range sum.Notices {
		statuses = append(statuses, n.Status)
	}
	if strings.Join(statuses, ",") != "sent,sent,held" || len(srv.Messages(t)) != 2 {
		t.Fatalf("statuses %v, server has %d", statuses, len(srv.Messages(t)))
	}
	_, list, _ := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--sent")
	if strings.Count(list, "message-id: <") != 2 || !strings.Contains(list, "abuse@filter.example.net") {
		t.Errorf("--sent:\n%s", list)
	}
	code, stdout, _ = notifyCLI(t, "", false, args...)
	json.Unmarshal([]byte(stdout), &sum)
	if len(srv.Messages(t)) != 2 {
		t.Errorf("rerun sent again: server has %d", len(srv.Messages(t)))
	}
	for _, s := range sum.Skipped {
		if s.Reason != "already notified" {
			t.Errorf("skipped %+v", s)
		}
	}
	if len(sum.Skipped) != 2 || code != exitWarning { // the draft is still there
		t.Errorf("rerun: exit %d, skipped %+v", code, sum.Skipped)
	}
}

func TestNotifyBadInput(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"probers": [{"ip": 42}]}`), 0o600)
	cases := map[string][]string{
		"no input":      {"notify"},
		"both inputs":   {"notify", "--evidence", notifyEvidence, "--case", "x"},
		"bad json":      {"notify", "--evidence", bad},
		"missing file":  {"notify", "--evidence", "/nonexistent.json"},
		"bad template":  {"notify", "--evidence", notifyEvidence, "--template", "nope"},
		"bad --to":      {"notify", "--evidence", notifyEvidence, "--to", "x@y\r\nBcc: z@w"},
		"mbox and send": {"notify", "--evidence", notifyEvidence, "--send", "--mbox", "x"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := notifyCLI(t, "", false, append([]string{"--config", cfg, "--state", st}, args...)...)
			if code != exitUnknown || stderr == "" || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
	code, _, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--evidence", bad)
	if code != exitUnknown || !strings.Contains(stderr, "bad.json") || !strings.Contains(stderr, "probers.ip") {
		t.Errorf("bad json: %q should name the file and field", stderr)
	}
}

func TestNotifyNeedsFrom(t *testing.T) {
	code, _, stderr := notifyCLI(t, "", false, "notify", "--evidence", notifyEvidence, "--no-lookup")
	if code != exitUnknown || !strings.Contains(stderr, "notify.from") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestNotifyCaseDir(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	dir := t.TempDir()
	ev, _ := os.ReadFile(notifyEvidence)
	var raw map[string]json.RawMessage
	json.Unmarshal(ev, &raw)
	contacts := `[{"ip":"192.0.2.74","contacts":[{"address":"abuse@filter.example.net","role":"network","source":"rdap"}]}]`
	listing := `[{"target":"198.51.100.25","list":"spamrl","zone":"dnsbl.spamrl.example","codes":["127.0.0.2"],"txt":["dictionary attacks"]}]`
	caseJSON := `{"schema":"dnsblaudit.case/v1","evidence":` + string(ev) + `,"contacts":` + contacts + `,"listings":` + listing + `}`
	os.WriteFile(filepath.Join(dir, "case.json"), []byte(caseJSON), 0o600)
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--case", dir, "--no-lookup", "--out", out)
	if code != exitWarning || strings.Count(stdout, "NEEDS-RECIPIENT") != 2 {
		t.Errorf("exit %d, stdout %s stderr %s", code, stdout, stderr)
	}
	code, stdout, _ = notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--case", dir,
		"--template", "listing-evidence", "--to", "listings@spamrl.example", "--stdout")
	if code != exitOK || !strings.Contains(stdout, "Subject: Listing of 198.51.100.25 on spamrl") || !strings.Contains(stdout, "To: <listings@spamrl.example>") {
		t.Errorf("listing-evidence: exit %d\n%s", code, stdout)
	}
}

// Contacts missing from the evidence are looked up with whoisctx, here
// against the fake registries on loopback.
func TestNotifyLooksUpMissingContacts(t *testing.T) {
	reg := startWhoisFakes(t)
	cfg, st := notifyConfig(t, "")
	raw, _ := os.ReadFile(notifyEvidence)
	var doc map[string]json.RawMessage
	json.Unmarshal(raw, &doc)
	delete(doc, "contacts")
	stripped, _ := json.Marshal(doc)
	ev := filepath.Join(t.TempDir(), "scan.json")
	os.WriteFile(ev, stripped, 0o600)
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "--format", "json", "notify",
		"--evidence", ev, "--out", filepath.Join(t.TempDir(), "out"), "--no-cache",
		"--whois-server", reg.WHOIS.Addr(), "--rdap-url", reg.RDAP.URL(), "--dns-server", reg.DNS.Addr())
	if code != exitOK {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	var sum notifySummaryJSON
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, n := range sum.Notices {
		got[strings.Join(n.Probers, " ")] = strings.Join(n.To, " ")
	}
	want := map[string]string{"192.0.2.74": "abuse@hosting.example.net", "203.0.113.9": "abuse@net.example.org", "198.51.100.7": "abuse@isp.example.com"}
	for ip, to := range want {
		if got[ip] != to {
			t.Errorf("%s: to %q, want %q (all: %v)", ip, got[ip], to, got)
		}
	}
}

// --stdout is an mbox a mail reader can open: the summary goes to stderr.
func TestNotifyStdoutIsPureMbox(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	for _, f := range []string{"text", "json"} {
		code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "--format", f, "notify", "--evidence", notifyEvidence, "--no-lookup", "--stdout")
		if code != exitWarning || !strings.HasPrefix(stdout, "From postmaster@example.org ") || strings.Contains(stdout, "Dry run") || strings.Contains(stdout, `"mode"`) {
			t.Errorf("%s: exit %d, stdout starts %q", f, code, stdout[:min(len(stdout), 80)])
		}
		if !strings.Contains(stderr, "rendered") {
			t.Errorf("%s: no summary on stderr: %q", f, stderr)
		}
	}
}

// Nothing to send needs no server, and no confirmation.
func TestNotifySendWithNothingToSend(t *testing.T) {
	cfg, st := notifyConfig(t, "") // no smtp.host
	raw, _ := os.ReadFile(notifyEvidence)
	var doc map[string]json.RawMessage
	json.Unmarshal(raw, &doc)
	delete(doc, "contacts")
	stripped, _ := json.Marshal(doc)
	ev := filepath.Join(t.TempDir(), "scan.json")
	os.WriteFile(ev, stripped, 0o600)
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--evidence", ev, "--no-lookup", "--send")
	if code != exitWarning || !strings.Contains(stdout, "Sent 0 of 3") || strings.Contains(stderr, "smtp") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// A refused notice is reported, exits 3, and leaves no record: the next
// run tries again. The SMTP password never appears in any output.
func TestNotifyFailedSendRecordsNothing(t *testing.T) {
	const pw = "Very-Secret-9"
	srv := smtptest.Start(t, smtptest.Options{STARTTLS: true, User: "notifier", Password: pw, Reject: []string{"abuse@filter.example.net"}})
	t.Setenv("NOTIFY_CLI_PW", pw)
	cfg, st := notifyConfig(t, fmt.Sprintf("  smtp:\n    host: %s\n    port: %d\n    ca_file: %s\n    username: notifier\n    password_env: NOTIFY_CLI_PW\n", srv.Host, srv.Port, srv.CAFile))
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "--log-level", "debug", "notify", "--evidence", notifyEvidence, "--no-lookup", "--send", "--yes")
	if code != exitUnknown || !strings.Contains(stderr, "1 of 2 notices failed to send") || !strings.Contains(stdout, "[failed]") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, pw) {
		t.Error("the SMTP password was printed")
	}
	_, list, _ := notifyCLI(t, "", false, "--config", cfg, "--state", st, "--format", "json", "notify", "--sent")
	var doc struct{ Sent []notifySentJSON }
	json.Unmarshal([]byte(list), &doc)
	if len(doc.Sent) != 1 || doc.Sent[0].Desk != "abuse@isp.example" {
		t.Errorf("record: %+v", doc.Sent)
	}
	if msgs := srv.Messages(t); len(msgs) != 1 || !msgs[0].TLS || !msgs[0].Auth {
		t.Errorf("server: %+v", msgs)
	}
}

// A scan can be piped in; a second dry run into the same directory says
// which files are left over from before.
func TestNotifyEvidenceFromStdin(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	raw, _ := os.ReadFile(notifyEvidence)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "00-old.eml"), []byte("old"), 0o600)
	code, stdout, stderr := notifyCLI(t, string(raw), false, "--config", cfg, "--state", st, "notify", "--evidence", "-", "--no-lookup", "--out", out)
	if code != exitWarning || !strings.Contains(stdout, "Dry run: 3 notices") || !strings.Contains(stdout, "also holds 1 older .eml file from earlier runs") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

func TestNotifyMax(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	code, stdout, _ := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--evidence", notifyEvidence, "--no-lookup", "--out", t.TempDir(), "--max", "1")
	if code != exitWarning || !strings.Contains(stdout, "Dry run: 2 notices") || !strings.Contains(stdout, "over the per-run cap") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	code, _, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--evidence", notifyEvidence, "--max", "0")
	if code != exitUnknown || !strings.Contains(stderr, "--max") {
		t.Errorf("--max 0: exit %d %s", code, stderr)
	}
}

// --contacts (the shape of `whois --format contacts`) replaces the
// input's contacts, matched by address, except where it found none.
func TestNotifyContactsFile(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	file := filepath.Join(t.TempDir(), "contacts.json")
	os.WriteFile(file, []byte(`{"192.0.2.74": [{"address": "noc@filter.example.net", "role": "network", "source": "rdap"}],
		"203.0.113.9": [], "::ffff:198.51.100.7": [{"address": "abuse@unknown.example", "role": "network"}]}`), 0o600)
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "--format", "json", "notify",
		"--evidence", notifyEvidence, "--no-lookup", "--contacts", file, "--out", t.TempDir())
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum notifySummaryJSON
	json.Unmarshal([]byte(stdout), &sum)
	var to []string
	for _, n := range sum.Notices {
		to = append(to, strings.Join(n.To, ","))
	}
	if strings.Join(to, " ") != "noc@filter.example.net Abuse@ISP.example abuse@unknown.example" {
		t.Errorf("recipients %v", to)
	}
}
