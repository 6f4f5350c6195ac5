package whoisctx

import (
	"strings"
	"unicode/utf8"
)

// toUTF8 returns s with every byte that is not part of valid UTF-8 decoded
// as ISO-8859-1: LACNIC and registro.br still answer in Latin-1 on port 43
// ("Núcleo" arrives with a bare 0xFA), while other text in the same answer
// may be UTF-8. Every byte maps to one rune, so nothing is lost.
func toUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			r = rune(s[i])
		}
		b.WriteRune(r)
		i += size
	}
	return b.String()
}
