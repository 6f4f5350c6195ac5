package main

import (
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/notify"
)

// hostileSuffix is what a prober controls: its HELO name, its reverse DNS
// name and so the logged lines carry an escape sequence, a forged header
// after CR/LF, bidi controls (RLO, ALM), a NUL and a line separator.
const hostileSuffix = "\x1b[2J\r\nBcc: victim@example.net\u202eevil\u061c\x00\u2028x"

// hostileEvidence is notify's evidence fixture with hostileSuffix on
// every stranger-controlled string.
func hostileEvidence(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(notifyEvidence)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, key string) any
	walk = func(v any, key string) any {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				v[k] = walk(e, k)
			}
		case []any:
			for i, e := range v {
				v[i] = walk(e, key)
			}
		case string:
			switch key {
			case "helo_names", "reverse_names", "helo", "raw":
				return v + hostileSuffix
			}
		}
		return v
	}
	out, err := json.Marshal(walk(doc, ""))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "evidence.json")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func hasUnsafe(s string) bool {
	return strings.ContainsAny(s, "\x1b\x00\u202e\u061c\u2028")
}

// Stranger-controlled names reach notices' subjects and bodies and the
// summary: no control character gets through, and CR/LF never starts a
// header of its own.
func TestNotifyHostileProberNames(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	ev := hostileEvidence(t)
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify", "--evidence", ev, "--no-lookup", "--stdout")
	if code != exitWarning {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if hasUnsafe(stderr) || strings.ContainsRune(stderr, '\r') {
		t.Errorf("summary carries control characters: %q", stderr)
	}
	msgs := strings.Split(stdout, "\nFrom postmaster@example.org ")
	if len(msgs) != 3 {
		t.Fatalf("want 3 messages in the mbox, got %d", len(msgs))
	}
	seen := ""
	for i, raw := range msgs {
		raw = raw[strings.IndexByte(raw, '\n')+1:] // the mbox From_ line
		m, err := mail.ReadMessage(strings.NewReader(raw))
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if m.Header.Get("Bcc") != "" {
			t.Errorf("message %d: injected Bcc header", i)
		}
		for k, vs := range m.Header {
			for _, v := range vs {
				dec, _ := new(mime.WordDecoder).DecodeHeader(v)
				seen += dec
				if hasUnsafe(dec) || strings.ContainsAny(dec, "\r\n") {
					t.Errorf("message %d: header %s = %q", i, k, dec)
				}
			}
		}
		body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
		if err != nil {
			t.Fatalf("message %d body: %v", i, err)
		}
		if hasUnsafe(string(body)) {
			t.Errorf("message %d: body carries control characters", i)
		}
		seen += string(body)
	}
	if !strings.Contains(seen, "evil") {
		t.Error("the hostile names reached no notice: the test proves nothing")
	}
}

// net/mail accepts UTF-8 addresses, bidi controls included: a contacts
// file naming "abuse@evil\u202eten.example" must not become a To header
// that reads as another domain.
func TestNotifyRefusesBidiRecipient(t *testing.T) {
	cfg, st := notifyConfig(t, "")
	file := filepath.Join(t.TempDir(), "contacts.json")
	os.WriteFile(file, []byte(`{"192.0.2.74": [{"address": "abuse@evil\u202eten.example", "role": "network", "source": "rdap"}]}`), 0o600)
	code, stdout, stderr := notifyCLI(t, "", false, "--config", cfg, "--state", st, "notify",
		"--evidence", notifyEvidence, "--no-lookup", "--contacts", file, "--stdout")
	if code != exitWarning {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stdout+stderr, "\u202e") || strings.Contains(stdout, "evil") {
		t.Errorf("the bidi address reached a notice or the summary:\n%s\n%s", stdout, stderr)
	}
	if _, err := notify.ParseAddress("\"Post\u202emaster\" <postmaster@example.org>"); err == nil {
		t.Error("a bidi control in a display name is accepted")
	}
}
