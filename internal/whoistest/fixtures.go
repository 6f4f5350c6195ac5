package whoistest

import (
	"embed"
	"net/netip"
)

//go:embed data
var data embed.FS

// File returns one embedded fixture (data/<name>), verbatim bytes as a
// string.
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

// Networks are the fixtures: real registry answers (data/PROVENANCE says
// where each came from), except apnic-stub, which no public copy was found
// for. Origin strings are Team Cymru's answers where the source recorded
// them (ipwhois' asn_data), else built from the registry answer (its
// OriginAS and range); Abusix strings are test scaffolding.
var Networks = []Network{
	{Name: "ripe", Prefix: pfx("62.239.237.0/24"), Sample: ip("62.239.237.10"), WHOIS: "ripe.txt", RDAP: "rdap-ripe.json",
		Origin: "2856 | 62.239.0.0/16 | GB | ripencc | 2001-01-02", Abusix: "protect@bt.com", Best: "protect@bt.com", Registry: "ripencc"},
	{Name: "arin", Prefix: pfx("174.0.0.0/13"), Sample: ip("174.0.36.9"), WHOIS: "arin.txt",
		Origin: "6327 | 174.0.0.0/13 | CA | arin | 2008-11-19", Best: "internet.abuse@sjrb.ca", Registry: "arin"},
	{Name: "arin-google", Prefix: pfx("74.125.0.0/16"), Sample: ip("74.125.225.229"), WHOIS: "arin-google.txt", RDAP: "rdap-arin-google.json",
		Origin: "15169 | 74.125.225.0/24 | US | arin | 2007-03-13", Best: "arin-contact@google.com", Registry: "arin"},
	{Name: "apnic", Prefix: pfx("171.0.0.0/15"), Sample: ip("171.0.1.2"), WHOIS: "apnic.txt",
		Origin: "4657 | 171.0.0.0/15 | SG | apnic | 2020-09-09", Abusix: "abuse@starhub.com", Best: "abuse@starhub.com", Registry: "apnic"},
	{Name: "apnic-stub", Prefix: pfx("43.224.0.0/11"), Sample: ip("43.230.1.1"), WHOIS: "apnic-stub.txt", RDAP: "rdap-apnic-stub.json",
		Origin: "64512 | 43.230.0.0/16 | US | apnic | 2011-04-12", Registry: "apnic"},
	{Name: "lacnic", Prefix: pfx("200.57.128.0/19"), Sample: ip("200.57.141.161"), WHOIS: "lacnic.txt", RDAP: "rdap-lacnic.json",
		Origin: "19373 | 200.57.128.0/20 | MX | lacnic | 2000-12-04", Best: "operacion.redes@triara.com", Registry: "lacnic"},
	{Name: "registro.br", Prefix: pfx("170.0.0.0/22"), Sample: ip("170.0.1.2"), WHOIS: "registrobr.txt",
		Origin: "264957 | 170.0.0.0/22 | BR | lacnic | 2016-05-09", Best: "noc@coopercitrus.com.br", Registry: "lacnic"},
	{Name: "afrinic", Prefix: pfx("196.11.240.0/23"), Sample: ip("196.11.240.215"), WHOIS: "afrinic.txt", RDAP: "rdap-afrinic.json",
		Origin: "12091 | 196.11.240.0/23 | ZA | afrinic | ", Best: "abuse@mtnbusiness.co.za", Registry: "afrinic"},
	{Name: "ripe-v6", Prefix: pfx("2a00:2381:ffff::/64"), Sample: ip("2a00:2381:ffff::1"), WHOIS: "ripe-v6.txt", RDAP: "rdap-ripe-v6.json",
		Origin: "2856 | 2a00:2380::/25 | GB | ripencc | 2007-08-29", Best: "protect@bt.com", Registry: "ripencc"},
}

// Domain fixtures: a registrar's WHOIS answer (MarkMonitor for google.com)
// and a registry's RDAP answer whose registrar entity carries the abuse
// contact (microsoft.click, MarkMonitor again).
const (
	RegistrarDomain      = "microsoft.click"
	RegistrarWhoisDomain = "google.com"
	RegistrarAbuse       = "abusecomplaints@markmonitor.com"
)

// DocNetworks route the documentation ranges (RFC 5737, RFC 3849) to
// variants of the fixtures, so that the offline demo and tests that use
// documentation addresses as probers get registry-shaped answers that name
// only example holders, addresses and mailboxes.
var DocNetworks = []Variant{
	{Prefix: pfx("192.0.2.0/24"), Base: "ripe", Holder: Holder{Name: "Example Hosting", Handle: "EXH", Domain: "hosting.example.net"},
		From: []string{"62.239.237.0 - 62.239.237.255", "62.239.237.0/32", "62.239.237.255/32", "62.239.0.0/16", "62.239.237.1", "protect@bt.com", "btcertcc@bt.com",
			"zzdnsr@bt.com", "steve.a.marshall@bt.com", "lee.bailey-hague@bt.com", "BT-CORPORATE"},
		To: []string{"192.0.2.0 - 192.0.2.255", "192.0.2.0/32", "192.0.2.255/32", "192.0.2.0/24", "192.0.2.1", "abuse@hosting.example.net", "cert@hosting.example.net",
			"dns@hosting.example.net", "ops1@hosting.example.net", "ops2@hosting.example.net", "EXAMPLE-HOSTING"},
		Origin: "64500 | 192.0.2.0/24 | GB | ripencc | 2010-01-01", Best: "abuse@hosting.example.net"},
	{Prefix: pfx("198.51.100.0/24"), Base: "arin", Holder: Holder{Name: "Example ISP", Handle: "EXISP", Domain: "isp.example.com"},
		From: []string{"174.0.0.0 - 174.7.255.255", "174.0.0.0/13", "NET-174-0-0-0-1", "NET174 (NET-174-0-0-0-0)", "ip/174.0.0.0",
			"internet.abuse@sjrb.ca", "Adam.Pattenden@rci.rogers.com", "jing.zhu@sjrb.ca", "SHAW-COMM"},
		To: []string{"198.51.100.0 - 198.51.100.255", "198.51.100.0/24", "NET-198-51-100-0-1", "NET198 (NET-198-0-0-0-0)", "ip/198.51.100.0",
			"abuse@isp.example.com", "noc@isp.example.com", "ops@isp.example.com", "EXAMPLE-ISP"},
		Origin: "64501 | 198.51.100.0/24 | US | arin | 2010-01-01", Best: "abuse@isp.example.com"},
	{Prefix: pfx("203.0.113.0/24"), Base: "apnic", Holder: Holder{Name: "Example Net", Handle: "EXNET", Domain: "net.example.org"},
		From:   []string{"171.0.0.0 - 171.1.255.255", "171.0.0.0/24", "abuse@starhub.com", "apnic-scv@starhub.com", "ipnoc@starhub.com", "STARHUBINTERNET-SG"},
		To:     []string{"203.0.113.0 - 203.0.113.255", "203.0.113.0/24", "abuse@net.example.org", "lir@net.example.org", "noc@net.example.org", "EXAMPLE-NET"},
		Origin: "64502 | 203.0.113.0/24 | SG | apnic | 2010-01-01", Best: "abuse@net.example.org"},
	{Prefix: pfx("2001:db8::/32"), Base: "ripe-v6", Holder: Holder{Name: "Example V6 Networks", Handle: "EXV6", Domain: "v6.example.net"},
		From: []string{"2a00:2381:ffff::/64", "2a00:2381:ffff::/128", "2a00:2381:ffff::ffff:ffff:ffff:ffff/128", "2a00:2380::/25", "2a00:2381:ffff::1",
			"protect@bt.com", "abuse@bt.net", "ip.address.management.account@bt.com",
			"zzdnsr@bt.com", "steve.a.marshall@bt.com", "lee.bailey-hague@bt.com", "BT-WORLD-IPVSIX-LAUNCH"},
		To: []string{"2001:db8::/32", "2001:db8::/128", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128", "2001:db8::/32", "2001:db8::1",
			"abuse@v6.example.net", "noc@v6.example.net", "ipam@v6.example.net",
			"dns@v6.example.net", "ops1@v6.example.net", "ops2@v6.example.net", "EXAMPLE-V6"},
		Origin: "64503 | 2001:db8::/32 | DE | ripencc | 2010-01-01", Best: "abuse@v6.example.net"},
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
