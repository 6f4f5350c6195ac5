package whoisctx

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Team Cymru IP-to-ASN zones (https://www.team-cymru.com/ip-asn-mapping).
const (
	cymruOrigin4 = "origin.asn.cymru.com"
	cymruOrigin6 = "origin6.asn.cymru.com"
	cymruASN     = "asn.cymru.com"
)

// Origin is one Team Cymru origin answer:
// "15169 | 74.125.225.0/24 | US | arin | 2007-03-13".
type Origin struct {
	ASN       uint32
	Prefix    netip.Prefix
	Country   string
	Registry  string // arin, ripencc, apnic, lacnic, afrinic
	Allocated string
}

// knownRegistries are the registry names Team Cymru uses.
var knownRegistries = map[string]bool{"arin": true, "ripencc": true, "apnic": true, "lacnic": true, "afrinic": true}

// ParseCymruOrigin parses one origin TXT string. Multi-origin prefixes list
// several ASNs in the first field; the first is kept.
func ParseCymruOrigin(txt string) (Origin, error) {
	f := strings.Split(txt, "|")
	if len(f) < 4 {
		return Origin{}, fmt.Errorf("cymru origin %q: want 5 fields separated by |", txt)
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
	}
	asns := strings.Fields(f[0])
	if len(asns) == 0 {
		return Origin{}, fmt.Errorf("cymru origin %q: no ASN", txt)
	}
	asn, err := strconv.ParseUint(asns[0], 10, 32)
	if err != nil {
		return Origin{}, fmt.Errorf("cymru origin %q: ASN: %w", txt, err)
	}
	p, err := netip.ParsePrefix(f[1])
	if err != nil {
		return Origin{}, fmt.Errorf("cymru origin %q: prefix: %w", txt, err)
	}
	o := Origin{ASN: uint32(asn), Prefix: p.Masked(), Country: f[2], Registry: strings.ToLower(f[3])}
	if !knownRegistries[o.Registry] {
		return Origin{}, fmt.Errorf("cymru origin %q: unknown registry %q", txt, o.Registry)
	}
	if len(o.Country) > 2 || !isAlpha(o.Country) {
		o.Country = ""
	}
	if len(f) > 4 {
		o.Allocated = f[4]
	}
	return o, nil
}

// ParseCymruASName parses an AS answer
// "15169 | US | arin | 2000-03-30 | GOOGLE - Google LLC, US" to its name.
func ParseCymruASName(txt string) (string, error) {
	f := strings.Split(txt, "|")
	if len(f) < 5 {
		return "", fmt.Errorf("cymru AS %q: want 5 fields separated by |", txt)
	}
	name := strings.TrimSpace(strings.Join(f[4:], "|"))
	if name == "" {
		return "", fmt.Errorf("cymru AS %q: empty name", txt)
	}
	return name, nil
}

func isAlpha(s string) bool {
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}

// cymruOriginName is the TXT name for addr's origin.
func cymruOriginName(addr netip.Addr) string {
	zone := cymruOrigin4
	if addr.Unmap().Is6() {
		zone = cymruOrigin6
	}
	return reversedName(addr) + "." + zone
}

// lookupOrigin asks Team Cymru for addr's origin and keeps the most
// specific prefix that really contains addr.
func lookupOrigin(ctx context.Context, d dnsLookup, addr netip.Addr) (Origin, RawAnswer, error) {
	name := cymruOriginName(addr)
	raw := RawAnswer{Source: SourceCymru, Server: "dns", Query: name}
	txts, err := d.TXT(ctx, name)
	raw.Text = strings.Join(txts, "\n")
	if err != nil {
		raw.Error = err.Error()
		return Origin{}, raw, err
	}
	var best Origin
	for _, t := range txts {
		o, err := ParseCymruOrigin(t)
		if err != nil || !o.Prefix.Contains(addr.Unmap()) {
			continue
		}
		if !best.Prefix.IsValid() || o.Prefix.Bits() > best.Prefix.Bits() {
			best = o
		}
	}
	return best, raw, nil
}

// lookupASName asks Team Cymru for the AS name.
func lookupASName(ctx context.Context, d dnsLookup, asn uint32) (string, error) {
	txts, err := d.TXT(ctx, fmt.Sprintf("AS%d.%s", asn, cymruASN))
	if err != nil {
		return "", err
	}
	for _, t := range txts {
		if name, err := ParseCymruASName(t); err == nil {
			return name, nil
		}
	}
	return "", nil
}
