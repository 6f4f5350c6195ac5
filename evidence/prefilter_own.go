package evidence

import "strings"

// ownMatcher answers domainSet.hasAddr for the worker-side filters, which
// ask it for most queue lines of a busy log. A handful of own domains is
// compared as ASCII suffixes: no lower-cased copy, no map lookup per label.
// Non-ASCII domains and long lists go to the set itself, so the answer is
// always hasAddr's (TestOwnMatcherAgrees, FuzzOwnMatcher).
type ownMatcher struct {
	set     domainSet
	domains []string // the set's keys (already lower case); nil: ask the set
}

// maxOwnSuffixes bounds the linear suffix comparison; past it the map's
// per-label lookups cost less.
const maxOwnSuffixes = 8

func newOwnMatcher(set domainSet) ownMatcher {
	m := ownMatcher{set: set}
	if len(set) > maxOwnSuffixes {
		return m
	}
	m.domains = []string{}
	for d := range set {
		// ownSuffix relies on both: no case folding beyond ASCII, and
		// no '@' inside the compared bytes.
		if !isASCII(d) || strings.IndexByte(d, '@') >= 0 {
			return ownMatcher{set: set}
		}
		m.domains = append(m.domains, d)
	}
	return m
}

// hasAddr tells whether addr's domain is an own domain or a subdomain of one.
func (m ownMatcher) hasAddr(addr string) bool {
	if m.domains == nil {
		return m.set.hasAddr(addr)
	}
	for _, o := range m.domains {
		switch ownSuffix(addr, o) {
		case suffixYes:
			return true
		case suffixUnsure:
			return m.set.hasAddr(addr)
		}
	}
	return false
}

// Answers of ownSuffix.
const (
	suffixNo = iota
	suffixYes
	suffixUnsure // a non-ASCII byte where it matters: ask the set
)

// ownSuffix compares addr from its end with the own domain o (lower-case
// ASCII): it is an own address when its last len(o) bytes are o in any
// case and the byte before is the '@' or a '.' after it. A mismatch at an
// ASCII byte settles it: strings.ToLower, which the set applies, changes
// only letters there, and keeps the bytes after a non-ASCII rune at the
// same distance from the end. A non-ASCII byte inside the compared bytes
// is left to the set (U+212A KELVIN SIGN lower-cases to 'k').
func ownSuffix(addr, o string) int {
	n := len(o)
	if len(addr) <= n {
		return suffixNo
	}
	tail := addr[len(addr)-n:]
	// Eight bytes at a time from the end while they are all ASCII (one
	// word comparison after lower-casing the word); a word with another
	// byte, and the bytes left at the front, go one by one, in the same
	// order as ever.
	k := n
	for ; k >= 8; k -= 8 {
		x := load64(tail, k-8)
		if x&asciiHighs != 0 {
			break
		}
		if lowerASCII(x) != load64(o, k-8) {
			return suffixNo
		}
	}
	for k--; k >= 0; k-- {
		c := tail[k]
		if c >= 0x80 {
			return suffixUnsure
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != o[k] {
			return suffixNo
		}
	}
	switch head := addr[:len(addr)-n]; head[len(head)-1] {
	case '@':
		return suffixYes
	case '.':
		if strings.LastIndexByte(head, '@') >= 0 {
			return suffixYes
		}
	}
	return suffixNo
}

const asciiHighs = 0x8080808080808080

// lowerASCII lower-cases the letters A-Z among the eight ASCII bytes of x
// (no byte has its high bit set): a byte is upper case when adding
// 0x80-'A' sets its high bit and adding 0x80-'Z'-1 does not.
func lowerASCII(x uint64) uint64 {
	const ones = 0x0101010101010101
	upper := (x + ones*(0x80-'A')) &^ (x + ones*(0x80-'Z'-1)) & asciiHighs
	return x | upper>>2
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
