package whoisctx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Exchanger sends one DNS query and returns the answer, retrying and
// choosing servers itself. An NXDOMAIN is an answer (Rcode), not an error.
// The default is dnsClient over a Transport; WithExchanger replaces it
// whole.
type Exchanger interface {
	Exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error)
}

// ErrDNS marks a DNS failure (SERVFAIL, REFUSED, no server answering).
var ErrDNS = errors.New("DNS lookup failed")

// Transport sends one query to one server, over UDP or TCP, without
// retrying. dnsbl.NetTransport satisfies it, so the CLI shares one DNS
// socket layer between the blocklist checks and the contact sources
// (WithTransport); the default is a plain miekg/dns client.
type Transport interface {
	Exchange(ctx context.Context, m *dns.Msg, server string, tcp bool) (*dns.Msg, error)
}

// miekgTransport is the default Transport.
type miekgTransport struct{ timeout time.Duration }

func (t miekgTransport) Exchange(ctx context.Context, m *dns.Msg, server string, tcp bool) (*dns.Msg, error) {
	c := &dns.Client{Net: "udp", Timeout: t.timeout}
	if tcp {
		c.Net = "tcp"
	}
	r, _, err := c.ExchangeContext(ctx, m, server)
	return r, err
}

// dnsClient is the default Exchanger: each server in turn, two rounds, TCP
// when the UDP answer is truncated (miekg/dns does neither on its own),
// SERVFAIL treated as "ask the next server" (RFC 1035 §7.2).
type dnsClient struct {
	servers   []string
	transport Transport
	timeout   time.Duration // per attempt
}

// dnsRounds is how many times the server list is tried.
const dnsRounds = 2

// newDNSClient uses servers ("host" or "host:port"), or /etc/resolv.conf
// when there are none.
func newDNSClient(servers []string, t Transport, timeout time.Duration) (*dnsClient, error) {
	if len(servers) == 0 {
		cc, err := dns.ClientConfigFromFile("/etc/resolv.conf")
		if err != nil {
			return nil, fmt.Errorf("no DNS servers configured and /etc/resolv.conf: %w", err)
		}
		for _, s := range cc.Servers {
			servers = append(servers, net.JoinHostPort(s, cc.Port))
		}
	}
	if t == nil {
		t = miekgTransport{timeout: timeout}
	}
	c := &dnsClient{transport: t, timeout: timeout}
	for _, s := range servers {
		hp, err := hostPort(s, "53")
		if err != nil {
			return nil, fmt.Errorf("DNS server: %w", err)
		}
		c.servers = append(c.servers, hp)
	}
	return c, nil
}

// Exchange implements Exchanger.
func (c *dnsClient) Exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	var errs []error
	for range dnsRounds {
		for _, server := range c.servers {
			r, err := c.exchangeOne(ctx, m, server)
			if err == nil && r.Rcode != dns.RcodeServerFailure {
				return r, nil
			}
			if err == nil {
				err = fmt.Errorf("%s: SERVFAIL", server)
			}
			errs = append(errs, err)
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%w: %w", ErrDNS, errors.Join(errs...))
			}
		}
	}
	return nil, fmt.Errorf("%w: %w", ErrDNS, errors.Join(errs...))
}

func (c *dnsClient) exchangeOne(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r, err := c.transport.Exchange(actx, m, server, false)
	if err == nil && r.Truncated {
		r, err = c.transport.Exchange(actx, m, server, true)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", server, err)
	}
	return r, nil
}

// dnsLookup wraps an Exchanger with the three record types we need.
type dnsLookup struct{ ex Exchanger }

// query asks for name/qtype and returns the answer RRs of that type; an
// NXDOMAIN or empty answer is (nil, nil).
func (d dnsLookup) query(ctx context.Context, name string, qtype uint16) ([]dns.RR, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = true
	m.SetEdns0(4096, false)
	r, err := d.ex.Exchange(ctx, m)
	if err != nil {
		return nil, err
	}
	switch r.Rcode {
	case dns.RcodeSuccess:
	case dns.RcodeNameError:
		return nil, nil
	default:
		return nil, fmt.Errorf("%s %s: %s: %w", name, dns.TypeToString[qtype], dns.RcodeToString[r.Rcode], ErrDNS)
	}
	var out []dns.RR
	for _, rr := range r.Answer {
		if rr.Header().Rrtype == qtype {
			out = append(out, rr)
		}
	}
	return out, nil
}

// TXT returns each TXT record with its strings joined (RFC 7208 §3.3 style).
func (d dnsLookup) TXT(ctx context.Context, name string) ([]string, error) {
	rrs, err := d.query(ctx, name, dns.TypeTXT)
	var out []string
	for _, rr := range rrs {
		out = append(out, strings.Join(rr.(*dns.TXT).Txt, ""))
	}
	return out, err
}

// PTR returns the reverse names of addr.
func (d dnsLookup) PTR(ctx context.Context, addr netip.Addr) ([]string, error) {
	rev, err := dns.ReverseAddr(addr.Unmap().String())
	if err != nil {
		return nil, err
	}
	rrs, err := d.query(ctx, rev, dns.TypePTR)
	var out []string
	for _, rr := range rrs {
		out = append(out, strings.TrimSuffix(strings.ToLower(rr.(*dns.PTR).Ptr), "."))
	}
	return out, err
}

// Addrs returns the A or AAAA records of name (the family of want).
func (d dnsLookup) Addrs(ctx context.Context, name string, want netip.Addr) ([]netip.Addr, error) {
	qtype := dns.TypeA
	if want.Unmap().Is6() {
		qtype = dns.TypeAAAA
	}
	rrs, err := d.query(ctx, name, qtype)
	var out []netip.Addr
	for _, rr := range rrs {
		var ip net.IP
		switch v := rr.(type) {
		case *dns.A:
			ip = v.A
		case *dns.AAAA:
			ip = v.AAAA
		}
		if a, ok := netip.AddrFromSlice(ip); ok {
			out = append(out, a.Unmap())
		}
	}
	return out, err
}

// reversedName is the DNSBL-style reversed form of addr: octets for IPv4,
// nibbles for IPv6 (RFC 5782 §2.1, §2.4), without a trailing zone.
func reversedName(addr netip.Addr) string {
	rev, _ := dns.ReverseAddr(addr.Unmap().String())
	rev = strings.TrimSuffix(rev, ".in-addr.arpa.")
	return strings.TrimSuffix(rev, ".ip6.arpa.")
}
