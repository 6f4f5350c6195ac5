package dnsbl

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/miekg/dns"
)

// DefaultResolvConf is where the system resolver is configured.
const DefaultResolvConf = "/etc/resolv.conf"

// normaliseServer turns "192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or
// "[2001:db8::53]:53" into host:port. Names are refused: resolving the
// resolver would need a resolver.
func normaliseServer(s string) (string, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return netip.AddrPortFrom(a.WithZone(""), 53).String(), nil
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil {
		return "", fmt.Errorf("resolver %q: want an IP address or IP:port: %w", s, ErrBadConfig)
	}
	if ap.Port() == 0 {
		return "", fmt.Errorf("resolver %q: port 0: %w", s, ErrBadConfig)
	}
	return ap.String(), nil
}

// systemServers reads the nameservers of a resolv.conf file.
func systemServers(path string) ([]string, error) {
	cc, err := dns.ClientConfigFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("system resolver %s: %w", path, err)
	}
	var out []string
	for _, s := range cc.Servers {
		hp := net.JoinHostPort(s, cc.Port)
		if n, err := normaliseServer(hp); err == nil {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("system resolver %s: no usable nameserver: %w", path, ErrBadConfig)
	}
	return out, nil
}

// publicResolvers are well-known open resolvers. Spamhaus and others refuse
// queries that come through them (127.255.255.254); Postfix's documentation
// says to avoid public or ISP resolvers unless the queries carry an API key.
var publicResolvers = map[netip.Addr]string{}

func init() {
	for name, addrs := range map[string][]string{
		"Google Public DNS": {"8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844"},
		"Cloudflare":        {"1.1.1.1", "1.0.0.1", "1.1.1.2", "1.0.0.2", "1.1.1.3", "1.0.0.3", "2606:4700:4700::1111", "2606:4700:4700::1001"},
		"Quad9":             {"9.9.9.9", "149.112.112.112", "9.9.9.10", "9.9.9.11", "2620:fe::fe", "2620:fe::9", "2620:fe::10"},
		"OpenDNS":           {"208.67.222.222", "208.67.220.220", "208.67.222.123", "208.67.220.123", "2620:119:35::35", "2620:119:53::53"},
		"AdGuard DNS":       {"94.140.14.14", "94.140.15.15", "2a10:50c0::ad1:ff", "2a10:50c0::ad2:ff"},
		"Level3":            {"4.2.2.1", "4.2.2.2", "4.2.2.3", "4.2.2.4", "4.2.2.5", "4.2.2.6"},
		"Verisign":          {"64.6.64.6", "64.6.65.6"},
		"Yandex DNS":        {"77.88.8.8", "77.88.8.1"},
		"CleanBrowsing":     {"185.228.168.9", "185.228.169.9"},
		"DNS.WATCH":         {"84.200.69.80", "84.200.70.40"},
		"Comodo Secure DNS": {"8.26.56.26", "8.20.247.20"},
		"Alibaba DNS":       {"223.5.5.5", "223.6.6.6"},
		"114DNS":            {"114.114.114.114", "114.114.115.115"},
		"Control D":         {"76.76.2.0", "76.76.10.0"},
		"NextDNS":           {"45.90.28.0", "45.90.30.0"},
	} {
		for _, a := range addrs {
			publicResolvers[netip.MustParseAddr(a)] = name
		}
	}
}

// PublicResolver reports whether server ("host:port" or an address) is a
// known public resolver, and whose.
func PublicResolver(server string) (string, bool) {
	a, err := netip.ParseAddr(server)
	if err != nil {
		ap, err := netip.ParseAddrPort(server)
		if err != nil {
			return "", false
		}
		a = ap.Addr()
	}
	name, ok := publicResolvers[a.Unmap().WithZone("")]
	return name, ok
}

// hostOnly shortens a resolver for messages: "192.0.2.53:53" becomes
// "192.0.2.53"; another port is kept.
func hostOnly(server string) string {
	h, p, err := net.SplitHostPort(server)
	if err != nil || p != strconv.Itoa(53) {
		return server
	}
	return h
}
