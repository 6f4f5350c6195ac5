// Package textsafe makes text from strangers (HELO names, WHOIS answers, log
// lines, TXT records) safe to print on a terminal or put in a mail body:
// control characters, including ESC sequences, never pass through raw.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s on one line: control characters (C0, DEL, C1, and the
// Unicode bidi controls that can disguise text) become U+FFFD, invalid UTF-8
// is replaced, and CR/LF/TAB and the Unicode line and paragraph separators
// (U+2028, U+2029) become spaces.
func Line(s string) string {
	return clean(s, false)
}

// Text is Line but keeps newlines (LF) and tabs, for multi-line excerpts;
// CR is dropped so CRLF text reads as LF text.
func Text(s string) string {
	return clean(s, true)
}

func clean(s string, keepNewlines bool) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\n' || r == '\t' || r == '\u2028' || r == '\u2029':
			if keepNewlines {
				b.WriteRune(lineEnd(r))
			} else {
				b.WriteByte(' ')
			}
		case r == '\r':
			if !keepNewlines {
				b.WriteByte(' ')
			}
		case Unsafe(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lineEnd maps the Unicode line and paragraph separators, which editors
// and some terminals treat as line breaks, to LF; TAB and LF stay.
func lineEnd(r rune) rune {
	if r == '\u2028' || r == '\u2029' {
		return '\n'
	}
	return r
}

// isPlain is the fast path: printable ASCII needs no work.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// Unsafe reports whether Line and Text replace r: a control character
// (C0, DEL, C1), a bidi control, a zero-width character or a Unicode tag.
// Encoders that escape rather than replace (JSON's \uXXXX) use it to pick
// the same characters.
func Unsafe(r rune) bool {
	if unicode.IsControl(r) {
		return true
	}
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidi embedding/override/isolate marks, LRM, RLM, ALM (Trojan Source; UAX #9)
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff, r == 0x180e, r >= 0xe0000 && r <= 0xe007f:
		// Zero-width characters and Unicode tags are invisible: in a host
		// name or an address they make two different strings look alike
		// (UTS #39), so they are shown, as U+FFFD, rather than hidden.
		return true
	}
	return false
}

// HasLineBreak reports whether s contains CR or LF; header values with one
// are refused rather than cleaned, since a cleaned header hides an attack.
func HasLineBreak(s string) bool {
	return strings.ContainsAny(s, "\r\n")
}
