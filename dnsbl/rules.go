package dnsbl

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// A Rule decides, from every A record of an answer, whether the answer is a
// listing. The syntax follows Exim's dnslists operators (Exim spec, "DNS
// lists" chapter), which mail operators already know:
//
//	=a,b,c     any record is one of the values
//	==a,b,c    every record is one of the values
//	!=a,b,c    no record is one of the values
//	!==a,b,c   not every record is one of the values
//	&mask      any record has every bit of mask set (SURBL/URIBL bitmaps);
//	           mask is an address (0.0.0.8) or a number (8)
//	!&mask     no record has every bit of mask set
//
// A value is an address (127.0.0.2) or an inclusive range
// (127.0.0.2-127.0.0.11). The empty rule matches any record.
type Rule struct {
	text    string
	negate  bool
	all     bool
	matches []Match // one bitmask Match for & rules
}

// Match is one value of a rule: a single address, an inclusive range, or a
// bitmask. Code meanings in list definitions are Matches too.
type Match struct {
	lo, hi uint32
	mask   uint32
	isMask bool
}

// ParseRule parses an Exim-style rule; see Rule.
func ParseRule(s string) (Rule, error) {
	r := Rule{text: strings.TrimSpace(s)}
	rest := r.text
	if rest == "" {
		return r, nil
	}
	if strings.HasPrefix(rest, "!") {
		r.negate, rest = true, rest[1:]
	}
	switch {
	case strings.HasPrefix(rest, "=="):
		r.all, rest = true, rest[2:]
	case strings.HasPrefix(rest, "="):
		rest = rest[1:]
	case strings.HasPrefix(rest, "&"):
		m, err := ParseMatch(rest)
		if err != nil {
			return Rule{}, fmt.Errorf("%w %q: %w", ErrBadRule, s, err)
		}
		r.matches = []Match{m}
		return r, nil
	default:
		return Rule{}, fmt.Errorf("%w %q: want =, ==, !=, !==, & or !& before the codes", ErrBadRule, s)
	}
	for _, v := range strings.Split(rest, ",") {
		m, err := ParseMatch(v)
		if err != nil {
			return Rule{}, fmt.Errorf("%w %q: %w", ErrBadRule, s, err)
		}
		r.matches = append(r.matches, m)
	}
	return r, nil
}

// String returns the rule as written.
func (r Rule) String() string { return r.text }

// MatchAll applies the rule to every A record of an answer, in order.
func (r Rule) MatchAll(codes []netip.Addr) bool {
	if r.text == "" {
		return len(codes) > 0
	}
	var hit bool
	if r.all {
		hit = len(codes) > 0 && allCodes(codes, r.inSet)
	} else {
		hit = anyCode(codes, r.inSet)
	}
	return hit != r.negate
}

func (r Rule) inSet(a uint32) bool {
	for _, m := range r.matches {
		if m.matchU32(a) {
			return true
		}
	}
	return false
}

func anyCode(codes []netip.Addr, f func(uint32) bool) bool {
	for _, c := range codes {
		if c.Is4() && f(u32(c)) {
			return true
		}
	}
	return false
}

func allCodes(codes []netip.Addr, f func(uint32) bool) bool {
	for _, c := range codes {
		if !c.Is4() || !f(u32(c)) {
			return false
		}
	}
	return true
}

// ParseMatch parses one code pattern: "127.0.0.2", "127.0.0.2-127.0.0.11",
// "127.255.255.0/24" or "&0.0.0.8" (bitmask: every bit set).
func ParseMatch(s string) (Match, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "&") {
		m, err := parseMask(s[1:])
		return Match{mask: m, isMask: true}, err
	}
	if p, err := netip.ParsePrefix(s); err == nil && p.Addr().Is4() {
		p = p.Masked()
		lo := u32(p.Addr())
		hi := lo | (^uint32(0) >> uint(p.Bits())) // a shift by 32 (a /32) is 0
		return Match{lo: lo, hi: hi}, nil
	}
	loS, hiS, isRange := strings.Cut(s, "-")
	lo, err := parseV4(loS)
	if err != nil {
		return Match{}, err
	}
	if !isRange {
		return Match{lo: lo, hi: lo}, nil
	}
	hi, err := parseV4(hiS)
	if err != nil {
		return Match{}, err
	}
	if hi < lo {
		return Match{}, fmt.Errorf("range %q runs backwards", s)
	}
	return Match{lo: lo, hi: hi}, nil
}

// MatchAddr reports whether code matches the pattern.
func (m Match) MatchAddr(code netip.Addr) bool {
	return code.Is4() && m.matchU32(u32(code))
}

func (m Match) matchU32(a uint32) bool {
	if m.isMask {
		return m.mask != 0 && a&m.mask == m.mask
	}
	return a >= m.lo && a <= m.hi
}

func parseMask(s string) (uint32, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseUint(s, 10, 32); err == nil {
		if n == 0 {
			return 0, fmt.Errorf("bitmask %q is zero", s)
		}
		return uint32(n), nil
	}
	m, err := parseV4(s)
	if err == nil && m == 0 {
		return 0, fmt.Errorf("bitmask %q is zero", s)
	}
	return m, err
}

func parseV4(s string) (uint32, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || !a.Is4() {
		return 0, fmt.Errorf("%q is not an IPv4 address", strings.TrimSpace(s))
	}
	return u32(a), nil
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
