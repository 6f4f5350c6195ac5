package whoisctx

import (
	"net/netip"
	"strings"
)

// specialRange is an address block no registry can give an abuse contact
// for (IANA special-purpose registries, RFC 6890).
type specialRange struct {
	prefix netip.Prefix
	why    string
}

var specialRanges = func() []specialRange {
	var out []specialRange
	for _, r := range [][2]string{
		{"0.0.0.0/8", `"this network" (RFC 791)`},
		{"10.0.0.0/8", "private (RFC 1918)"},
		{"100.64.0.0/10", "shared address space, carrier-grade NAT (RFC 6598)"},
		{"127.0.0.0/8", "loopback (RFC 1122)"},
		{"169.254.0.0/16", "link-local (RFC 3927)"},
		{"172.16.0.0/12", "private (RFC 1918)"},
		{"192.0.0.0/24", "IETF protocol assignments (RFC 6890)"},
		{"192.0.2.0/24", "documentation, TEST-NET-1 (RFC 5737)"},
		{"192.88.99.0/24", "deprecated 6to4 relay anycast (RFC 7526)"},
		{"192.168.0.0/16", "private (RFC 1918)"},
		{"198.18.0.0/15", "benchmarking (RFC 2544)"},
		{"198.51.100.0/24", "documentation, TEST-NET-2 (RFC 5737)"},
		{"203.0.113.0/24", "documentation, TEST-NET-3 (RFC 5737)"},
		{"224.0.0.0/4", "multicast (RFC 5771)"},
		{"240.0.0.0/4", "reserved (RFC 1112)"},
		{"::/128", "unspecified (RFC 4291)"},
		{"::1/128", "loopback (RFC 4291)"},
		{"64:ff9b::/96", "NAT64 well-known prefix (RFC 6052): look up the embedded IPv4 address"},
		{"100::/64", "discard-only (RFC 6666)"},
		{"2001:db8::/32", "documentation (RFC 3849)"},
		{"2002::/16", "6to4 (RFC 3056): look up the embedded IPv4 address"},
		{"3fff::/20", "documentation (RFC 9637)"},
		{"fc00::/7", "unique local (RFC 4193)"},
		{"fe80::/10", "link-local (RFC 4291)"},
		{"ff00::/8", "multicast (RFC 4291)"},
	} {
		out = append(out, specialRange{netip.MustParsePrefix(r[0]), r[1]})
	}
	return out
}()

// specialAddr says why addr needs no registry query, or "" when it does.
func specialAddr(addr netip.Addr) string {
	addr = addr.Unmap()
	for _, r := range specialRanges {
		if r.prefix.Contains(addr) {
			return r.prefix.String() + " is " + r.why
		}
	}
	return ""
}

// specialDomains are reserved names (RFC 2606, RFC 6761) that no registrar
// manages.
var specialDomains = []string{
	"example", "test", "invalid", "localhost", "local", "onion", "home.arpa",
	"example.com", "example.net", "example.org",
}

// specialDomain says why name needs no registry query, or "".
func specialDomain(name string) string {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	for _, d := range specialDomains {
		if name == d || strings.HasSuffix(name, "."+d) {
			return d + " is reserved (RFC 2606, RFC 6761)"
		}
	}
	return ""
}
