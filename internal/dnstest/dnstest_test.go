package dnstest

import (
	"testing"
	"time"

	"github.com/miekg/dns"
)

func query(t *testing.T, s *Server, netw, name string, qtype uint16) (*dns.Msg, error) {
	t.Helper()
	c := &dns.Client{Net: netw, Timeout: 200 * time.Millisecond}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	r, _, err := c.Exchange(m, s.Addr)
	return r, err
}

func TestServer(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.ListIP("bl.test", "192.0.2.1", "why", "127.0.0.2", "127.0.0.4")
	s.Wildcard("world.test", "127.0.0.2")
	s.Fault("drop.test", Drop).Fault("sf.test", ServFail).Fault("ref.test", Refuse)
	s.ListIP("tc.test", "192.0.2.1", "", "127.0.0.2").Fault("tc.test", Truncate)

	r, err := query(t, s, "udp", "1.2.0.192.bl.test", dns.TypeA)
	if err != nil || len(r.Answer) != 2 {
		t.Fatalf("A: %v %v", r, err)
	}
	if r, _ := query(t, s, "udp", "1.2.0.192.bl.test", dns.TypeTXT); len(r.Answer) != 1 {
		t.Errorf("TXT: %v", r)
	}
	if r, _ := query(t, s, "udp", "9.9.9.9.bl.test", dns.TypeA); r.Rcode != dns.RcodeNameError || len(r.Ns) != 1 {
		t.Errorf("NXDOMAIN with SOA: %v", r)
	}
	if r, _ := query(t, s, "udp", "anything.world.test", dns.TypeA); len(r.Answer) != 1 {
		t.Errorf("wildcard: %v", r)
	}
	if _, err := query(t, s, "udp", "x.drop.test", dns.TypeA); err == nil {
		t.Errorf("drop answered")
	}
	if r, _ := query(t, s, "udp", "x.sf.test", dns.TypeA); r.Rcode != dns.RcodeServerFailure {
		t.Errorf("servfail: %v", r)
	}
	if r, _ := query(t, s, "tcp", "x.ref.test", dns.TypeA); r.Rcode != dns.RcodeRefused {
		t.Errorf("refused over TCP: %v", r)
	}
	if r, _ := query(t, s, "udp", "1.2.0.192.tc.test", dns.TypeA); !r.Truncated || len(r.Answer) != 0 {
		t.Errorf("UDP not truncated: %v", r)
	}
	if r, err := query(t, s, "tcp", "1.2.0.192.tc.test", dns.TypeA); err != nil || r.Truncated || len(r.Answer) != 1 {
		t.Errorf("TCP: %v %v", r, err)
	}
	if n := s.Queries("1.2.0.192.bl.test"); n != 2 {
		t.Errorf("Queries = %d", n)
	}
}
