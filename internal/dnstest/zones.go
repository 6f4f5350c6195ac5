package dnstest

import (
	"fmt"
	"net/netip"
	"strings"
)

// ReverseIP returns the RFC 5782 query labels of addr without a zone:
// "2.0.0.127" for 127.0.0.2, 32 nibbles for IPv6 (an IPv4-mapped address
// stays in nibble form when v6 is true).
func ReverseIP(addr string, v6 bool) string {
	a := netip.MustParseAddr(addr)
	if !v6 {
		b := a.Unmap().As4()
		return fmt.Sprintf("%d.%d.%d.%d", b[3], b[2], b[1], b[0])
	}
	b := a.As16()
	var sb strings.Builder
	for i := 15; i >= 0; i-- {
		fmt.Fprintf(&sb, "%x.%x", b[i]&0xf, b[i]>>4)
		if i > 0 {
			sb.WriteByte('.')
		}
	}
	return sb.String()
}

// ListIP lists addr in zone with the given A codes (in order) and, if txt
// is not empty, a TXT reason.
func (s *Server) ListIP(zone, addr string, txt string, codes ...string) *Server {
	v6 := netip.MustParseAddr(addr).Is6() && !netip.MustParseAddr(addr).Is4In6()
	name := ReverseIP(addr, v6) + "." + zone
	s.A(name, 0, codes...)
	if txt != "" {
		s.TXT(name, 0, txt)
	}
	return s
}

// ListDomain lists domain in a domain zone.
func (s *Server) ListDomain(zone, domain, txt string, codes ...string) *Server {
	name := domain + "." + zone
	s.A(name, 0, codes...)
	if txt != "" {
		s.TXT(name, 0, txt)
	}
	return s
}

// HealthyIPv4 adds the RFC 5782 §5 positive test point 127.0.0.2 to zone
// (127.0.0.1 stays unlisted), so that the list passes its health checks.
func (s *Server) HealthyIPv4(zone string) *Server {
	return s.ListIP(zone, "127.0.0.2", "test point", "127.0.0.2")
}

// HealthyIPv6 adds the IPv6 test point ::ffff:7f00:2 in nibble form.
func (s *Server) HealthyIPv6(zone string) *Server {
	s.A(ReverseIP("::ffff:7f00:2", true)+"."+zone, 0, "127.0.0.2")
	return s
}

// HealthyDomain adds the domain test point TEST.
func (s *Server) HealthyDomain(zone string) *Server {
	return s.ListDomain(zone, "test", "test point", "127.0.0.2")
}
