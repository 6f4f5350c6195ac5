package whoisctx

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// hostPort normalises "host", "host:port", "[v6]:port" or a bare IPv6
// literal to host:port, adding defPort when no port is given.
func hostPort(s, defPort string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("empty server name")
	}
	if host, port, err := net.SplitHostPort(s); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("server %q: bad port", s)
		}
		if host == "" {
			return "", fmt.Errorf("server %q: no host", s)
		}
		return net.JoinHostPort(host, port), nil
	}
	if strings.ContainsAny(s, "/ @") {
		return "", fmt.Errorf("server %q: want HOST[:PORT]", s)
	}
	return net.JoinHostPort(strings.Trim(s, "[]"), defPort), nil
}

// whoisServers are the registries' port-43 servers, keyed by the registry
// names Team Cymru uses.
var whoisServers = map[string]string{
	"arin":    "whois.arin.net",
	"ripencc": "whois.ripe.net",
	"apnic":   "whois.apnic.net",
	"lacnic":  "whois.lacnic.net",
	"afrinic": "whois.afrinic.net",
}

// registryFromHost maps an RDAP or WHOIS host name to a registry name.
func registryFromHost(host string) string {
	host = strings.ToLower(host)
	for _, r := range []struct{ frag, name string }{
		{"arin.net", "arin"}, {"ripe.net", "ripencc"}, {"apnic.net", "apnic"},
		{"lacnic.net", "lacnic"}, {"registro.br", "lacnic"}, {"afrinic.net", "afrinic"},
	} {
		if strings.HasSuffix(host, r.frag) {
			return r.name
		}
	}
	return ""
}

// tldWhoisServers are WHOIS servers for common TLDs, used for domains when
// RDAP does not answer. RDAP (dns.json) is the first choice.
var tldWhoisServers = map[string]string{
	"com": "whois.verisign-grs.com", "net": "whois.verisign-grs.com",
	"org": "whois.publicinterestregistry.org", "info": "whois.nic.info",
	"biz": "whois.nic.biz", "io": "whois.nic.io", "co": "whois.nic.co",
	"me": "whois.nic.me", "xyz": "whois.nic.xyz", "online": "whois.nic.online",
	"top": "whois.nic.top", "de": "whois.denic.de", "uk": "whois.nic.uk",
	"fr": "whois.nic.fr", "nl": "whois.domain-registry.nl", "eu": "whois.eu",
	"ru": "whois.tcinet.ru", "br": "whois.registro.br", "jp": "whois.jprs.jp",
	"cn": "whois.cnnic.cn", "au": "whois.auda.org.au", "ca": "whois.cira.ca",
	"it": "whois.nic.it", "pl": "whois.dns.pl", "in": "whois.registry.in",
}
