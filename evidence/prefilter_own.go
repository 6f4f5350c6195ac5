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
		if !isASCII(d) {
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
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return false
	}
	dom := addr[at+1:]
	if !isASCII(dom) {
		return m.set.hasAddr(addr)
	}
	for _, o := range m.domains {
		switch {
		case len(dom) == len(o):
			if asciiLowerEqual(dom, o) {
				return true
			}
		case len(dom) > len(o) && dom[len(dom)-len(o)-1] == '.':
			if asciiLowerEqual(dom[len(dom)-len(o):], o) {
				return true
			}
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiLowerEqual compares s, in any case, with lower, already lower case.
func asciiLowerEqual(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
