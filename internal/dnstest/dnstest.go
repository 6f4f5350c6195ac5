// Package dnstest is a fake DNS server on loopback for tests and the offline
// demo: zone data (A, AAAA, TXT with TTLs) and faults per name or zone —
// dropped queries (timeouts), SERVFAIL, REFUSED, truncation over UDP with the
// full answer over TCP, slow answers. It uses its own dns.ServeMux, never the
// package-global one, and needs no testing.TB: Start it, Close it.
package dnstest

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// Fault is a misbehaviour for a name or zone.
type Fault int

// Faults.
const (
	None     Fault = iota
	Drop           // never answer (the client times out)
	ServFail       // answer SERVFAIL
	Refuse         // answer REFUSED
	Truncate       // over UDP, answer with TC set and no records; full answer over TCP
	Slow           // answer after the server's Delay
	NXDomain       // answer NXDOMAIN even when records exist
)

// DefaultTTL is the TTL of records added without one.
const DefaultTTL = 300

// Server is a running fake DNS server on 127.0.0.1, UDP and TCP on the
// same port.
type Server struct {
	// Addr is "127.0.0.1:port".
	Addr string
	// Delay is how long Slow answers wait. Set it before the server is
	// queried, or use SetDelay.
	Delay time.Duration

	udp, tcp *dns.Server
	mu       sync.RWMutex
	records  map[string][]dns.RR // canonical owner name -> records
	faults   map[string]Fault    // canonical name or zone -> fault
	wildcard map[string][]string // zone -> A codes answered for every name under it
	counts   map[string]int      // canonical name -> queries seen
	total    atomic.Int64
	dropOnce map[string]int // name -> queries still to drop before answering
}

// Start listens on 127.0.0.1:0 (UDP and TCP, same port) and serves until
// Close.
func Start() (*Server, error) {
	s := &Server{
		Delay:    2 * time.Second,
		records:  map[string][]dns.RR{},
		faults:   map[string]Fault{},
		wildcard: map[string][]string{},
		counts:   map[string]int{},
		dropOnce: map[string]int{},
	}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", s.handle)
	pc, l, err := ListenSamePort()
	if err != nil {
		return nil, err
	}
	s.Addr = pc.LocalAddr().String()
	s.udp = &dns.Server{PacketConn: pc, Handler: mux}
	s.tcp = &dns.Server{Listener: l, Handler: mux}
	for _, srv := range []*dns.Server{s.udp, s.tcp} {
		started := make(chan struct{})
		srv.NotifyStartedFunc = func() { close(started) }
		go srv.ActivateAndServe() //nolint:errcheck // returns when Close shuts it down
		<-started
	}
	return s, nil
}

// ListenSamePort opens UDP and TCP on one loopback port (retrying when the
// TCP port happens to be taken), for a DNS server that answers on both.
func ListenSamePort() (net.PacketConn, net.Listener, error) {
	var lastErr error
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, fmt.Errorf("dnstest: %w", err)
		}
		l, err := net.Listen("tcp", pc.LocalAddr().String())
		if err == nil {
			return pc, l, nil
		}
		pc.Close()
		lastErr = err
	}
	return nil, nil, fmt.Errorf("dnstest: no free port for UDP and TCP: %w", lastErr)
}

// Close stops the server.
func (s *Server) Close() error {
	e1 := s.udp.Shutdown()
	e2 := s.tcp.Shutdown()
	if e1 != nil {
		return e1
	}
	return e2
}

func canon(name string) string { return dns.CanonicalName(name) }

// A adds A records (in order) at name.
func (s *Server) A(name string, ttl uint32, addrs ...string) *Server {
	for _, a := range addrs {
		ip := netip.MustParseAddr(a)
		s.add(&dns.A{Hdr: hdr(name, dns.TypeA, ttl), A: ip.AsSlice()})
	}
	return s
}

// AAAA adds AAAA records at name.
func (s *Server) AAAA(name string, ttl uint32, addrs ...string) *Server {
	for _, a := range addrs {
		ip := netip.MustParseAddr(a)
		s.add(&dns.AAAA{Hdr: hdr(name, dns.TypeAAAA, ttl), AAAA: ip.AsSlice()})
	}
	return s
}

// TXT adds one TXT record at name; text longer than 255 octets is split
// into several strings as DNS requires.
func (s *Server) TXT(name string, ttl uint32, text string) *Server {
	var parts []string
	for len(text) > 255 {
		parts, text = append(parts, text[:255]), text[255:]
	}
	parts = append(parts, text)
	s.add(&dns.TXT{Hdr: hdr(name, dns.TypeTXT, ttl), Txt: parts})
	return s
}

// CNAME adds a CNAME at name.
func (s *Server) CNAME(name string, ttl uint32, target string) *Server {
	s.add(&dns.CNAME{Hdr: hdr(name, dns.TypeCNAME, ttl), Target: dns.Fqdn(target)})
	return s
}

// Wildcard answers A codes for every name under zone that has no records
// of its own: a list that "lists the world".
func (s *Server) Wildcard(zone string, codes ...string) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wildcard[canon(zone)] = codes
	return s
}

// Fault sets a misbehaviour for name and every name under it.
func (s *Server) Fault(nameOrZone string, f Fault) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[canon(nameOrZone)] = f
	return s
}

// SetDelay changes how long Slow answers wait; safe while serving.
func (s *Server) SetDelay(d time.Duration) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Delay = d
	return s
}

// DropFirst drops the first n queries for name (exactly), then answers:
// a lost UDP packet that a retry recovers.
func (s *Server) DropFirst(name string, n int) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropOnce[canon(name)] = n
	return s
}

// Queries returns how many queries name (exactly) received.
func (s *Server) Queries(name string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.counts[canon(name)]
}

// Total returns how many queries the server received.
func (s *Server) Total() int64 { return s.total.Load() }

func hdr(name string, t uint16, ttl uint32) dns.RR_Header {
	if ttl == 0 {
		ttl = DefaultTTL
	}
	return dns.RR_Header{Name: canon(name), Rrtype: t, Class: dns.ClassINET, Ttl: ttl}
}

func (s *Server) add(rr dns.RR) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := rr.Header().Name
	s.records[n] = append(s.records[n], rr)
}

// soa is the SOA of the fake zone; its MINIMUM drives negative caching.
func soa(zone string) dns.RR {
	return &dns.SOA{Hdr: hdr(zone, dns.TypeSOA, 60), Ns: "ns." + zone, Mbox: "hostmaster." + zone,
		Serial: 1, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: 60}
}

func (s *Server) handle(w dns.ResponseWriter, q *dns.Msg) {
	s.total.Add(1)
	if len(q.Question) != 1 {
		r := new(dns.Msg)
		r.SetRcode(q, dns.RcodeFormatError)
		w.WriteMsg(r) //nolint:errcheck
		return
	}
	name := canon(q.Question[0].Name)
	fault, drop, delay := s.noteQuery(name)
	_, isUDP := w.RemoteAddr().(*net.UDPAddr)
	r := new(dns.Msg)
	r.SetReply(q)
	r.RecursionAvailable = true
	switch {
	case drop || fault == Drop:
		return
	case fault == ServFail:
		r.Rcode = dns.RcodeServerFailure
	case fault == Refuse:
		r.Rcode = dns.RcodeRefused
	case fault == Truncate && isUDP:
		r.Truncated = true
	default:
		if fault == Slow {
			time.Sleep(delay)
		}
		s.answer(r, name, q.Question[0].Qtype, fault == NXDomain)
	}
	w.WriteMsg(r) //nolint:errcheck // the client sees a timeout, as it should
}

// noteQuery counts the query and returns the fault that applies to name,
// whether to drop this one query, and the Slow delay.
func (s *Server) noteQuery(name string) (Fault, bool, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[name]++
	if n := s.dropOnce[name]; n > 0 {
		s.dropOnce[name] = n - 1
		return None, true, 0
	}
	for n := name; ; n = parentOf(n) {
		if f, ok := s.faults[n]; ok {
			return f, false, s.Delay
		}
		if parentOf(n) == "." {
			return None, false, s.Delay
		}
	}
}

func (s *Server) answer(r *dns.Msg, name string, qtype uint16, forceNX bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rrs, exists := s.records[name]
	if !exists && !forceNX {
		if codes, ok := s.wildcardFor(name); ok {
			for _, c := range codes {
				rrs = append(rrs, &dns.A{Hdr: hdr(name, dns.TypeA, 0), A: netip.MustParseAddr(c).AsSlice()})
			}
			exists = true
		}
	}
	if forceNX || !exists {
		r.Rcode = dns.RcodeNameError
		r.Ns = append(r.Ns, soa(parentOf(name)))
		return
	}
	for _, rr := range rrs {
		if t := rr.Header().Rrtype; t == qtype || t == dns.TypeCNAME {
			r.Answer = append(r.Answer, dns.Copy(rr))
		}
	}
	if len(r.Answer) == 0 {
		r.Ns = append(r.Ns, soa(parentOf(name)))
	}
}

// wildcardFor returns the codes of the nearest wildcard zone above name.
func (s *Server) wildcardFor(name string) ([]string, bool) {
	for n := parentOf(name); n != "."; n = parentOf(n) {
		if codes, ok := s.wildcard[n]; ok {
			return codes, true
		}
	}
	return nil, false
}

// parentOf is name without its first label; "." when it has no parent.
func parentOf(name string) string {
	if i := strings.IndexByte(name, '.'); i >= 0 && i < len(name)-1 {
		return name[i+1:]
	}
	return "."
}
