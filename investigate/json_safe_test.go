package investigate

import (
	"bytes"
	"encoding/json"
	"testing"
)

// case.json is read with cat and less: a C1 CSI or a bidi override from a
// log or registry is kept, escaped, never raw.
func TestWriteJSONEscapesTerminalControls(t *testing.T) {
	const hostile = "helo\u009b2J\u202eevil"
	var b bytes.Buffer
	if err := WriteJSON(&b, &Case{Subject: "192.0.2.1", Warnings: []string{hostile}}); err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(b.Bytes(), "\u009b\u202e") || !bytes.Contains(b.Bytes(), []byte(`helo\u009b2J\u202eevil`)) {
		t.Errorf("case.json: %s", b.Bytes())
	}
	var back struct{ Warnings []string }
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.Warnings) != 1 || back.Warnings[0] != hostile {
		t.Errorf("decodes to %q, %v", back.Warnings, err)
	}
}
