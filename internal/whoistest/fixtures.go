package whoistest

import (
	"embed"
	"net/netip"
	"strings"
)

//go:embed data
var data embed.FS

// File returns one embedded fixture (data/<name>), verbatim bytes as a
// string (registrobr.txt is Latin-1 on purpose).
func File(name string) string {
	b, err := data.ReadFile("data/" + name)
	if err != nil {
		panic("whoistest: no fixture " + name)
	}
	return string(b)
}

// Network is one fixture network: what each fake answers for addresses in
// Prefix.
type Network struct {
	Name     string       // short name used by tests
	Prefix   netip.Prefix // the registry's range
	Sample   netip.Addr   // an address inside, used by tests
	WHOIS    string       // WHOIS fixture file
	RDAP     string       // RDAP fixture file ("" = 404)
	Origin   string       // Team Cymru origin TXT ("" = none)
	Abusix   string       // Abusix TXT ("" = none)
	Best     string       // the contact a correct lookup ranks first ("" = none)
	Registry string
}

// Networks are the registry-shaped fixtures.
var Networks = []Network{
	{Name: "ripe", Prefix: pfx("62.239.237.0/24"), Sample: ip("62.239.237.10"), WHOIS: "ripe.txt", RDAP: "rdap-ripe.json",
		Origin: "2856 | 62.239.0.0/16 | GB | ripencc | 1999-07-19", Abusix: "protect@bt.com", Best: "protect@bt.com", Registry: "ripencc"},
	{Name: "arin", Prefix: pfx("174.0.36.0/24"), Sample: ip("174.0.36.9"), WHOIS: "arin.txt", RDAP: "rdap-arin.json",
		Origin: "6327 | 174.0.0.0/13 | CA | arin | 2008-02-29", Best: "abuse@prairiehosting.ca", Registry: "arin"},
	{Name: "apnic", Prefix: pfx("171.0.0.0/15"), Sample: ip("171.0.1.2"), WHOIS: "apnic.txt", RDAP: "rdap-apnic.json",
		Origin: "4657 | 171.0.0.0/16 | SG | apnic | 2006-12-12", Abusix: "abuse@starhub.com", Best: "abuse@starhub.com", Registry: "apnic"},
	{Name: "apnic-stub", Prefix: pfx("43.224.0.0/11"), Sample: ip("43.230.1.1"), WHOIS: "apnic-stub.txt", RDAP: "rdap-apnic-stub.json",
		Origin: "64512 | 43.230.0.0/16 | US | apnic | 2011-04-12", Registry: "apnic"},
	{Name: "lacnic", Prefix: pfx("200.3.12.0/22"), Sample: ip("200.3.13.4"), WHOIS: "lacnic.txt", RDAP: "rdap-lacnic.json",
		Origin: "27747 | 200.3.12.0/22 | AR | lacnic | 2003-05-14", Best: "abuse@redya.com.ar", Registry: "lacnic"},
	{Name: "registro.br", Prefix: pfx("200.160.0.0/20"), Sample: ip("200.160.2.3"), WHOIS: "registrobr.txt",
		Origin: "22548 | 200.160.0.0/20 | BR | lacnic | 1998-03-02", Best: "cert@cert.br", Registry: "lacnic"},
	{Name: "afrinic", Prefix: pfx("41.203.64.0/21"), Sample: ip("41.203.65.7"), WHOIS: "afrinic.txt", RDAP: "rdap-afrinic.json",
		Origin: "37000 | 41.203.64.0/21 | KE | afrinic | 2008-11-05", Best: "security@savanna-networks.co.ke", Registry: "afrinic"},
	{Name: "ripe-v6", Prefix: pfx("2a01:4f8::/29"), Sample: ip("2a01:4f8:c17:1a2b::2"), WHOIS: "ripe-v6.txt", RDAP: "rdap-ripe-v6.json",
		Origin: "24940 | 2a01:4f8::/29 | DE | ripencc | 2006-10-04", Abusix: "abuse@hetzner.com", Best: "abuse@hetzner.com", Registry: "ripencc"},
}

// Domain fixtures.
const (
	RegistrarDomain = "markmonitored-sender.com"
	RegistrarAbuse  = "abusecomplaints@markmonitor.com"
)

// DocNetworks route the documentation ranges (RFC 5737, RFC 3849) to
// variants of the fixtures, so that the offline demo and tests that use
// documentation addresses as probers get registry-shaped answers with
// example addresses.
var DocNetworks = []struct {
	Prefix        netip.Prefix
	Base          string // Networks name the variant derives from
	From, To      []string
	Origin, Best  string
	Abusix, Hosts string
}{
	{Prefix: pfx("192.0.2.0/24"), Base: "ripe",
		From:   []string{"62.239.237.0 - 62.239.237.255", "62.239.237.1", "62.239.0.0/16", "protect@bt.com", "btcertcc@bt.com", "BT-INFRA-EDGE"},
		To:     []string{"192.0.2.0 - 192.0.2.255", "192.0.2.1", "192.0.2.0/24", "abuse@hosting.example.net", "cert@hosting.example.net", "EXAMPLE-HOSTING"},
		Origin: "64500 | 192.0.2.0/24 | GB | ripencc | 2010-01-01", Best: "abuse@hosting.example.net"},
	{Prefix: pfx("198.51.100.0/24"), Base: "arin",
		From:   []string{"174.0.36.0 - 174.0.36.255", "174.0.36.0/24", "174.0.36.0", "174.0.36.9", "abuse@prairiehosting.ca", "noc@prairiehosting.ca"},
		To:     []string{"198.51.100.0 - 198.51.100.255", "198.51.100.0/24", "198.51.100.0", "198.51.100.9", "abuse@isp.example.com", "noc@isp.example.com"},
		Origin: "64501 | 198.51.100.0/24 | US | arin | 2010-01-01", Best: "abuse@isp.example.com"},
	{Prefix: pfx("203.0.113.0/24"), Base: "apnic",
		From:   []string{"171.0.0.0 - 171.1.255.255", "171.0.0.0", "171.1.255.255", "abuse@starhub.com", "security@starhub.com"},
		To:     []string{"203.0.113.0 - 203.0.113.255", "203.0.113.0", "203.0.113.255", "abuse@net.example.org", "security@net.example.org"},
		Origin: "64502 | 203.0.113.0/24 | SG | apnic | 2010-01-01", Best: "abuse@net.example.org"},
	{Prefix: pfx("2001:db8::/32"), Base: "ripe-v6",
		From:   []string{"2a01:4ff:ffff:ffff:ffff:ffff:ffff:ffff", "2a01:4f8::/29", "2a01:4f8::", "abuse@hetzner.com", "DE-HETZNER-20040617"},
		To:     []string{"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::/32", "2001:db8::", "abuse@v6.example.net", "EXAMPLE-V6"},
		Origin: "64503 | 2001:db8::/32 | DE | ripencc | 2010-01-01", Best: "abuse@v6.example.net"},
}

// variant rewrites a fixture with pairs of replacements.
func variant(text string, from, to []string) string {
	pairs := make([]string, 0, 2*len(from))
	for i := range from {
		pairs = append(pairs, from[i], to[i])
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// NetworkByName returns the fixture network called name.
func NetworkByName(name string) Network {
	for _, n := range Networks {
		if n.Name == name {
			return n
		}
	}
	panic("whoistest: no network " + name)
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }
