package dnsbl

import (
	"fmt"
	"net/netip"
	"strings"
)

// TargetKind says what a target is.
type TargetKind string

// Target kinds.
const (
	TargetIP      TargetKind = "ip"
	TargetNetwork TargetKind = "network"
	TargetName    TargetKind = "name" // a hostname or domain
)

// CIDR expansion caps: a /20 (4096 addresses) for IPv4 and the same number
// of addresses for IPv6. Wider networks are refused with ErrTooLarge rather
// than silently sending tens of thousands of queries to every list.
const (
	MinIPv4PrefixBits = 20
	MinIPv6PrefixBits = 116
)

// Target is one thing to check, as the user wrote it.
type Target struct {
	Input  string       `json:"input"`
	Kind   TargetKind   `json:"kind"`
	Addr   netip.Addr   `json:"-"` // TargetIP
	Prefix netip.Prefix `json:"-"` // TargetNetwork
	Name   string       `json:"-"` // TargetName, lower-case ASCII (punycode)
}

// ParseTarget parses an IP address, a CIDR network (within the caps) or a
// domain name (IDNs become punycode).
func ParseTarget(s string) (Target, error) {
	in := strings.TrimSpace(s)
	t := Target{Input: in}
	if in == "" {
		return t, fmt.Errorf("%w: empty target", ErrBadTarget)
	}
	if strings.Contains(in, "/") {
		return parseNetwork(t)
	}
	if a, err := netip.ParseAddr(in); err == nil {
		if a.Zone() != "" {
			return t, fmt.Errorf("%w %q: an IPv6 zone (%%%s) has no place in a DNSBL query", ErrBadTarget, in, a.Zone())
		}
		t.Kind, t.Addr = TargetIP, a
		return t, nil
	}
	if looksNumeric(in) {
		return t, fmt.Errorf("%w %q: not a valid IP address", ErrBadTarget, in)
	}
	name, ok := dnsName(in)
	if !ok {
		return t, fmt.Errorf("%w %q: not an IP address, CIDR or domain name", ErrBadTarget, in)
	}
	t.Kind, t.Name = TargetName, name
	return t, nil
}

func parseNetwork(t Target) (Target, error) {
	p, err := netip.ParsePrefix(t.Input)
	if err != nil {
		return t, fmt.Errorf("%w %q: not a valid CIDR network", ErrBadTarget, t.Input)
	}
	limit := MinIPv4PrefixBits
	if p.Addr().Is6() {
		limit = MinIPv6PrefixBits
	}
	if p.Bits() < limit {
		return t, fmt.Errorf("%w %q: wider than /%d (at most %d addresses per network); split it", ErrTooLarge, t.Input, limit, 1<<(p.Addr().BitLen()-limit))
	}
	t.Kind, t.Prefix = TargetNetwork, p.Masked()
	return t, nil
}

// looksNumeric catches "192.0.2.300" and "1.2.3": digits and dots (or
// hex and colons) that failed to parse as an address are typos, not names.
func looksNumeric(s string) bool {
	if strings.Contains(s, ":") {
		return true
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

// Addrs returns the addresses of an IP or network target, in order.
func (t Target) Addrs() []netip.Addr {
	switch t.Kind {
	case TargetIP:
		return []netip.Addr{t.Addr}
	case TargetNetwork:
		n := 1 << (t.Prefix.Addr().BitLen() - t.Prefix.Bits())
		out := make([]netip.Addr, 0, n)
		for a := t.Prefix.Addr(); a.IsValid() && t.Prefix.Contains(a); a = a.Next() {
			out = append(out, a)
		}
		return out
	}
	return nil
}
