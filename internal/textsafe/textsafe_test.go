package textsafe

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"a\r\nb", "a  b"},
		{"tab\there", "tab here"},
		{"esc\x1b[31mred", "esc\uFFFD[31mred"},
		{"bell\x07", "bell\uFFFD"},
		{"del\x7f", "del\uFFFD"},
		{"c1\u0085x", "c1\uFFFDx"},
		{"bidi\u202eevil", "bidi\uFFFDevil"},
		{"alm\u061cevil", "alm\uFFFDevil"},
		{"ls\u2028ps\u2029x", "ls ps x"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"caf\u00e9", "caf\u00e9"},
		{"pay\u200bpal.example", "pay\uFFFDpal.example"},
		{"bom\ufeffx", "bom\uFFFDx"},
		{"tag\U000e0041x", "tag\uFFFDx"},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestText(t *testing.T) {
	if got := Text("a\r\nb\tc\x1bd\u2028e\u061c"); got != "a\nb\tc\uFFFDd\ne\uFFFD" {
		t.Errorf("Text = %q", got)
	}
}

func TestHasLineBreak(t *testing.T) {
	if !HasLineBreak("a\rb") || !HasLineBreak("a\nb") || HasLineBreak("ab") {
		t.Error("HasLineBreak wrong")
	}
}

// FuzzLine: whatever comes in, what goes out is valid UTF-8 on one line
// with no control character.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "x", "\x1b]0;title\x07", "a\r\nBcc: x@y", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !utf8.ValidString(out) || strings.ContainsAny(out, "\r\n") {
			t.Fatalf("Line(%q) = %q", s, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) {
				t.Fatalf("Line(%q) kept control %U", s, r)
			}
		}
	})
}
