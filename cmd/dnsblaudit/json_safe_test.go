package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Characters encoding/json leaves raw that a terminal may obey: DEL, C1
// (U+009B is CSI to xterm), bidi controls.
const jsonHostile = "a\x7fb\u009b2Jc\u202eevil\u061cd\u2066e caf\u00e9 \u2603"

func hasRawTerminalControl(b []byte) bool {
	return bytes.ContainsAny(b, "\x7f\u009b\u202e\u061c\u2066")
}

func TestJSONSafeWriterEscapesAndRoundTrips(t *testing.T) {
	want, _ := json.Marshal(map[string]string{"k" + jsonHostile: jsonHostile})
	// Every split of the document between two Writes gives the same bytes.
	var first []byte
	for cut := 0; cut <= len(want); cut++ {
		var out bytes.Buffer
		w := jsonSafe(&out)
		if n, err := w.Write(want[:cut]); err != nil || n != cut {
			t.Fatalf("write %d: %d, %v", cut, n, err)
		}
		if n, err := w.Write(want[cut:]); err != nil || n != len(want)-cut {
			t.Fatalf("write rest of %d: %d, %v", cut, n, err)
		}
		if first == nil {
			first = out.Bytes()
		} else if !bytes.Equal(out.Bytes(), first) {
			t.Fatalf("cut at %d: %q, want %q", cut, out.Bytes(), first)
		}
	}
	if hasRawTerminalControl(first) || !strings.Contains(string(first), `\u009b`) || !strings.Contains(string(first), "caf\u00e9 \u2603") {
		t.Errorf("escaped: %q", first)
	}
	var got map[string]string
	if err := json.Unmarshal(first, &got); err != nil || got["k"+jsonHostile] != jsonHostile {
		t.Errorf("does not decode to the same value: %v %q", err, got)
	}
}

// A HELO name with a C1 CSI and a bidi override, through evidence scan
// --format json: kept (escaped), never raw.
func TestEvidenceJSONIsTerminalSafe(t *testing.T) {
	dir := t.TempDir()
	log := "Nov 27 05:42:16 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from unknown[192.0.2.9]: 550 x; from=<> to=<a@victim.test> proto=ESMTP helo=<evil\u009b2J\u202e.example>\n" +
		"Nov 27 05:42:17 mx postfix/smtpd[1]: disconnect from unknown[192.0.2.9] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4\n"
	p := filepath.Join(dir, "maillog")
	os.WriteFile(p, []byte(log), 0o644)
	code, out, _ := runEvidence(t, "--format", "json", "evidence", "scan", "--domain", "victim.test", p)
	if code != exitOK || hasRawTerminalControl([]byte(out)) || !strings.Contains(out, `evil\u009b2J\u202e.example`) {
		t.Fatalf("exit %d; output:\n%q", code, out)
	}
}
