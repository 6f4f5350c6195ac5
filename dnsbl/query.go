package dnsbl

import (
	"net/netip"
	"strings"

	"golang.org/x/net/idna"
)

const hexDigits = "0123456789abcdef"

// ReverseName returns the RFC 5782 query label sequence for addr on a list
// of the given kind, without the zone: "2.0.0.127" for 127.0.0.2 on an IPv4
// list, 32 reversed nibbles for IPv6. The family is the list's, not Go's:
// ::ffff:7f00:2 stays in nibble form on an IPv6 list (the RFC 5782 §5 IPv6
// test point), while on an IPv4 list an IPv4-mapped address is unmapped.
// ok is false when addr cannot be queried on that kind of list.
func ReverseName(addr netip.Addr, kind Kind) (string, bool) {
	switch kind {
	case KindIPv4:
		if addr.Is4In6() {
			addr = addr.Unmap()
		}
		if !addr.Is4() {
			return "", false
		}
		return reverse4(addr.As4()), true
	case KindIPv6:
		if !addr.Is6() {
			return "", false
		}
		return reverse6(addr.As16()), true
	case KindBoth:
		// A sender's IPv4-mapped address is its IPv4 address; the
		// IPv6 test points, which must stay in nibble form, are built
		// with KindIPv6 (testPoints).
		if addr.Is4() || addr.Is4In6() {
			return ReverseName(addr, KindIPv4)
		}
		return ReverseName(addr, KindIPv6)
	}
	return "", false
}

func reverse4(b [4]byte) string {
	var sb strings.Builder
	sb.Grow(16)
	for i := 3; i >= 0; i-- {
		writeUint8(&sb, b[i])
		if i > 0 {
			sb.WriteByte('.')
		}
	}
	return sb.String()
}

func writeUint8(sb *strings.Builder, v byte) {
	if v >= 100 {
		sb.WriteByte('0' + v/100)
	}
	if v >= 10 {
		sb.WriteByte('0' + v/10%10)
	}
	sb.WriteByte('0' + v%10)
}

func reverse6(b [16]byte) string {
	out := make([]byte, 0, 63)
	for i := 15; i >= 0; i-- {
		out = append(out, hexDigits[b[i]&0xf], '.', hexDigits[b[i]>>4])
		if i > 0 {
			out = append(out, '.')
		}
	}
	return string(out)
}

// QueryName returns the fully qualified name to query for addr on a list
// in zone (which may or may not end in a dot).
func QueryName(addr netip.Addr, kind Kind, zone string) (string, bool) {
	rev, ok := ReverseName(addr, kind)
	if !ok {
		return "", false
	}
	return rev + "." + fqdn(zone), true
}

// DomainQueryName returns "domain.zone." for a domain list (no reversal).
// The domain is converted to its ASCII (punycode) form; ok is false when it
// is not a valid name or the result is longer than DNS allows.
func DomainQueryName(domain, zone string) (string, bool) {
	d, ok := dnsName(domain)
	if !ok {
		return "", false
	}
	name := d + "." + fqdn(zone)
	return name, len(name) <= 254
}

// dnsName returns s as a lower-case ASCII DNS name (IDN converted with the
// lookup profile of UTS #46), without the trailing dot.
func dnsName(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" || len(s) > 253 {
		return "", false
	}
	a, err := idna.Lookup.ToASCII(s)
	if err != nil {
		// Lookup rejects labels with underscores, which real names
		// (DKIM, SRV) use; accept plain ASCII labels that DNS allows.
		if !plainLabels(s) {
			return "", false
		}
		a = s
	}
	a = strings.ToLower(a)
	return a, plainLabels(a)
}

// plainLabels accepts letters, digits, '-', '_' and the {key} braces' absence:
// 1-63 octets per label, at most 253 in all.
func plainLabels(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
			if !ok {
				return false
			}
		}
	}
	return true
}

func fqdn(zone string) string {
	if strings.HasSuffix(zone, ".") {
		return zone
	}
	return zone + "."
}
