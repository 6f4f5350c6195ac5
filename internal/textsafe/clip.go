package textsafe

import "unicode/utf8"

// Cut returns at most n bytes of s, ending on a UTF-8 sequence boundary: a
// torn sequence would show as U+FFFD. For stored fields with a byte limit.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Clip is Cut with "…" added when s was longer than n bytes, for
// excerpts in messages and reports.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return Cut(s, n) + "…"
}

// ClipRunes shortens s to n runes, the last of them "…", when it has
// more: for limits counted in characters (a subject, a label).
func ClipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
