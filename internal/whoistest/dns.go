package whoistest

import (
	"errors"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
	"net"
	"net/netip"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// DNS is a fake DNS server (UDP and TCP on the same port) answering from a
// record map, with its own ServeMux (never the package-global one).
type DNS struct {
	srv, tcp *dns.Server
	// truncate makes UDP answers come back truncated and empty, so that
	// clients must retry over TCP (RFC 7766).
	truncate bool

	mu      sync.Mutex
	records map[string][]dns.RR // key: lower-case FQDN
	queries []string
	// byPrefix answers TXT in IP-keyed zones for every address of a
	// prefix, as Team Cymru and Abusix do.
	byPrefix map[string]*routes[string] // key: zone
}

// IP-keyed zones.
const (
	zoneOrigin4 = "origin.asn.cymru.com."
	zoneOrigin6 = "origin6.asn.cymru.com."
	zoneAbusix  = "abuse-contacts.abusix.zone."
)

// StartDNS listens on 127.0.0.1:0 (UDP, and TCP on the same port) and
// serves until Close.
func StartDNS() (*DNS, error) {
	pc, ln, err := dnstest.ListenSamePort()
	if err != nil {
		return nil, err
	}
	d := &DNS{records: map[string][]dns.RR{}, byPrefix: map[string]*routes[string]{}}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", d.serve)
	udpUp, tcpUp := make(chan struct{}), make(chan struct{})
	d.srv = &dns.Server{PacketConn: pc, Handler: mux, NotifyStartedFunc: func() { close(udpUp) }}
	d.tcp = &dns.Server{Listener: ln, Handler: mux, NotifyStartedFunc: func() { close(tcpUp) }}
	go func() { _ = d.srv.ActivateAndServe() }()
	go func() { _ = d.tcp.ActivateAndServe() }()
	<-udpUp
	<-tcpUp
	return d, nil
}

// TruncateUDP makes every UDP answer truncated (TC bit, no records).
func (d *DNS) TruncateUDP(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.truncate = on
}

// Addr is "127.0.0.1:port", usable as a --dns-server value.
func (d *DNS) Addr() string { return d.srv.PacketConn.LocalAddr().String() }

// Close stops the server.
func (d *DNS) Close() error { return errors.Join(d.srv.Shutdown(), d.tcp.Shutdown()) }

// Add adds records in zone-file syntax ("name 300 IN TXT \"x\"").
func (d *DNS) Add(records ...string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, s := range records {
		rr, err := dns.NewRR(s)
		if err != nil {
			return fmt.Errorf("whoistest: record %q: %w", s, err)
		}
		k := strings.ToLower(rr.Header().Name)
		d.records[k] = append(d.records[k], rr)
	}
	return nil
}

// Queries returns "name TYPE" for every query so far.
func (d *DNS) Queries() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.queries...)
}

func (d *DNS) serve(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.RecursionAvailable = true
	if len(req.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		_ = w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	d.mu.Lock()
	d.queries = append(d.queries, strings.TrimSuffix(name, ".")+" "+dns.TypeToString[q.Qtype])
	rrs, exists := d.records[name]
	if !exists && q.Qtype == dns.TypeTXT {
		if txt, ok := d.prefixTXT(name); ok {
			rr, _ := dns.NewRR(fmt.Sprintf("%s 3600 IN TXT %q", name, txt))
			rrs, exists = []dns.RR{rr}, true
		}
	}
	d.mu.Unlock()
	for _, rr := range rrs {
		if rr.Header().Rrtype == q.Qtype {
			m.Answer = append(m.Answer, dns.Copy(rr))
		}
	}
	if !exists {
		m.Rcode = dns.RcodeNameError
	}
	d.mu.Lock()
	truncate := d.truncate
	d.mu.Unlock()
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp && truncate {
		m.Answer, m.Truncated = nil, true
	}
	_ = w.WriteMsg(m)
}

// Reverse returns the in-addr.arpa / ip6.arpa name of a.
func Reverse(a netip.Addr) string {
	r, _ := dns.ReverseAddr(a.String())
	return r
}

// AddPrefix answers TXT txt in zone (origin.asn.cymru.com.,
// origin6.asn.cymru.com. or abuse-contacts.abusix.zone.) for every
// address in p.
func (d *DNS) AddPrefix(zone string, p netip.Prefix, txt string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	r, ok := d.byPrefix[zone]
	if !ok {
		r = &routes[string]{}
		d.byPrefix[zone] = r
	}
	r.add(p.Masked(), txt)
}

// prefixTXT answers a name in an IP-keyed zone; d.mu is held.
func (d *DNS) prefixTXT(name string) (string, bool) {
	for zone, r := range d.byPrefix {
		if rev, ok := strings.CutSuffix(name, "."+zone); ok {
			if a, ok := unreverse(rev); ok {
				return r.match(a)
			}
		}
	}
	return "", false
}

// unreverse turns "4.3.2.1" or 32 nibbles back into an address.
func unreverse(rev string) (netip.Addr, bool) {
	labels := strings.Split(rev, ".")
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	switch len(labels) {
	case 4:
		a, err := netip.ParseAddr(strings.Join(labels, "."))
		return a, err == nil
	case 32:
		var b strings.Builder
		for i, l := range labels {
			if i > 0 && i%4 == 0 {
				b.WriteByte(':')
			}
			b.WriteString(l)
		}
		a, err := netip.ParseAddr(b.String())
		return a, err == nil
	}
	return netip.Addr{}, false
}

// Origin answers Team Cymru origin queries for every address in p; txt is
// "ASN | prefix | CC | registry | date".
func (d *DNS) Origin(p netip.Prefix, txt string) {
	zone := zoneOrigin4
	if p.Addr().Is6() {
		zone = zoneOrigin6
	}
	d.AddPrefix(zone, p, txt)
}

// ASName adds a Team Cymru AS answer.
func (d *DNS) ASName(asn uint32, txt string) error {
	return d.Add(fmt.Sprintf("AS%d.asn.cymru.com. 3600 IN TXT %q", asn, txt))
}

// Abusix answers Abusix queries for every address in p.
func (d *DNS) Abusix(p netip.Prefix, addrs string) { d.AddPrefix(zoneAbusix, p, addrs) }

// AbuseNet adds an abuse.net answer for domain.
func (d *DNS) AbuseNet(domain, addr string) error {
	return d.Add(fmt.Sprintf("%s.contacts.abuse.net. 3600 IN TXT %q", domain, addr))
}

// Host adds a PTR for a and, when forward is true, the matching A/AAAA.
func (d *DNS) Host(a netip.Addr, name string, forward bool) error {
	if err := d.Add(fmt.Sprintf("%s 3600 IN PTR %s.", Reverse(a), name)); err != nil {
		return err
	}
	if !forward {
		return nil
	}
	t := "A"
	if a.Is6() {
		t = "AAAA"
	}
	return d.Add(fmt.Sprintf("%s. 3600 IN %s %s", name, t, a))
}
