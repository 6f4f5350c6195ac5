package dnsbl

import (
	"context"
	"testing"

	"github.com/miekg/dns"
)

// Against a resolver that is not on loopback the sockets are replaced
// every recycleAfter queries, so the source port keeps changing (RFC 5452
// §4); on loopback they are kept. (Connecting a UDP socket sends nothing,
// so 192.0.2.53 is never written to.)
func TestSocketsRecycledOffLoopback(t *testing.T) {
	off, err := dialUDPServer("192.0.2.53:53", 10)
	if err != nil {
		t.Fatal(err)
	}
	off.close()
	if off.recycle != recycleAfter {
		t.Errorf("non-loopback resolver: recycle %d, want %d", off.recycle, recycleAfter)
	}
	srv := startServer(t)
	srv.HealthyIPv4("bl.test")
	s, err := dialUDPServer(srv.Addr, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if s.recycle != 0 {
		t.Errorf("loopback resolver: recycle %d, want 0", s.recycle)
	}
	s.recycle = 4 // as a remote resolver would, sooner
	var old []*muxConn
	for range 64 {
		c := s.pick()
		old = append(old, c)
		q := new(dns.Msg)
		q.SetQuestion("2.0.0.127.bl.test.", dns.TypeA)
		r, err := c.exchange(context.Background(), q)
		c.release()
		if err != nil || len(r.Answer) != 1 {
			t.Fatalf("answer %v, %v", r, err)
		}
	}
	distinct := map[string]bool{}
	for _, c := range old {
		distinct[c.conn.LocalAddr().String()] = true
	}
	// 64 queries over 4 sockets, each replaced after 4: 16 sockets.
	if len(distinct) < 12 {
		t.Errorf("%d distinct source addresses over 64 queries, want about 16", len(distinct))
	}
	closed := 0
	for _, c := range old {
		if c.closed.Load() {
			closed++
		}
	}
	if closed == 0 {
		t.Error("retired sockets were not closed")
	}
}
