package notify

import (
	"bytes"
	"net/mail"
	"os"
	"slices"
	"strings"
	"testing"
)

// FuzzParseEvidence: any evidence file either fails to parse with
// ErrInput, or renders into notices whose headers are only ours and whose
// recipients are only valid addresses from the contacts.
func FuzzParseEvidence(f *testing.F) {
	seed, err := os.ReadFile("testdata/evidence.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"probers":[{"ip":"192.0.2.1","helo_names":["a\r\nBcc: x@y"],"events":[{"recipients":["b@c"],"lines":[{"raw":"\u001b[2J"}]}]}],"contacts":{"192.0.2.1":[{"address":"x@y\r\nBcc: z@w"}]}}`))
	f.Add([]byte(`{"probers":[{"ip":"::1"}]}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseEvidence("fuzz.json", data)
		if err != nil {
			return
		}
		opts := testOptions(t)
		notices, err := Render(in, opts)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		for i := range notices {
			checkNotice(t, &notices[i])
		}
	})
}

func checkNotice(t *testing.T, n *Notice) {
	t.Helper()
	eml, err := n.Bytes()
	if err != nil {
		t.Fatalf("Bytes: %v", err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(eml))
	if err != nil {
		t.Fatalf("notice does not parse: %v\n%s", err, eml)
	}
	for h := range msg.Header {
		if !slices.Contains(allowedHeaders, h) {
			t.Fatalf("unexpected header %q", h)
		}
	}
	for _, a := range n.To {
		if strings.ContainsAny(a, "\r\n,;<> ") {
			t.Fatalf("recipient %q", a)
		}
	}
}

// FuzzParseCase: case.json from another program never panics, and what
// parses renders cleanly.
func FuzzParseCase(f *testing.F) {
	f.Add([]byte(`{"evidence":{"probers":[{"ip":"192.0.2.1","probes":1}]},"contacts":[{"ip":"192.0.2.1","contacts":[{"address":"abuse@example.net","role":"network"}]}],"listings":[{"target":"198.51.100.25","list":"x","txt":["because\r\nBcc: a@b"]}]}`))
	f.Add([]byte(`{"evidence":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseCase("case.json", data)
		if err != nil {
			return
		}
		opts := testOptions(t)
		notices, err := Render(in, opts)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		for i := range notices {
			checkNotice(t, &notices[i])
		}
	})
}

// FuzzParseAddress: an accepted address never carries a control
// character or a second address into a header.
func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"a@b.example", "Name <a@b.example>", "a@b\r\nBcc: c@d", `"x\"y" <a@b>`, "a@b, c@d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(a.String(), "\r\n") || strings.ContainsAny(a.Address, "\r\n\x00 ,") {
			t.Fatalf("accepted %q as %q", s, a.String())
		}
	})
}
