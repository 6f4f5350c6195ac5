package dnsbl

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Transport sends one query to one server and returns its answer. It does
// not retry and does not interpret the rcode; the caller does both. The
// default sends UDP through a small pool of long-lived sockets and TCP
// through miekg/dns; tests may substitute their own.
type Transport interface {
	Exchange(ctx context.Context, m *dns.Msg, server string, tcp bool) (*dns.Msg, error)
}

// udpSocketsPerServer spreads queries over a few source ports; each socket
// multiplexes up to 65536 outstanding IDs, far above any sane concurrency.
const udpSocketsPerServer = 4

// udpReadBuffer is the receive buffer asked for on each socket.
const udpReadBuffer = 1 << 20

// NetTransport is the default Transport. Opening a socket per query (what
// dns.Client.Exchange does) costs several syscalls per query and caps a
// checker at a fraction of what a local rbldnsd answers, so UDP queries
// share a few connected sockets and answers are matched by ID and question.
type NetTransport struct {
	mu      sync.Mutex
	servers map[string]*udpServer
	closed  bool
	// maxWindow is the most transmissions in flight to one server; the
	// window adapts below it (see window).
	maxWindow int
}

// NewNetTransport returns a ready Transport; Close releases its sockets.
func NewNetTransport() *NetTransport {
	return &NetTransport{servers: make(map[string]*udpServer), maxWindow: DefaultConcurrency}
}

// Exchange implements Transport. The context bounds the attempt.
func (t *NetTransport) Exchange(ctx context.Context, m *dns.Msg, server string, tcp bool) (*dns.Msg, error) {
	if tcp {
		return exchangeTCP(ctx, m, server)
	}
	s, err := t.server(server)
	if err != nil {
		return nil, err
	}
	return s.exchange(ctx, m)
}

// exchangeRetrans implements retransmitter: the query keeps its ID across
// transmissions, so an answer to any of them is accepted.
func (t *NetTransport) exchangeRetrans(ctx context.Context, m *dns.Msg, server string, retries int, timeout func(int) time.Duration) (*dns.Msg, int, error) {
	s, err := t.server(server)
	if err != nil {
		return nil, 0, err
	}
	c := s.pick()
	defer c.release()
	return c.exchangeRetrans(ctx, m, retries, timeout, s.win)
}

// Close closes every socket; pending queries fail.
func (t *NetTransport) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for _, s := range t.servers {
		s.close()
	}
	t.servers = map[string]*udpServer{}
	return nil
}

func (t *NetTransport) server(addr string) (*udpServer, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, net.ErrClosed
	}
	if s, ok := t.servers[addr]; ok {
		return s, nil
	}
	s, err := dialUDPServer(addr, t.maxWindow)
	if err != nil {
		return nil, err
	}
	t.servers[addr] = s
	return s, nil
}

func exchangeTCP(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error) {
	c := &dns.Client{Net: "tcp"}
	if d, ok := ctx.Deadline(); ok {
		c.Timeout = time.Until(d)
	}
	r, _, err := c.ExchangeContext(ctx, m, server)
	if err != nil {
		return nil, fmt.Errorf("tcp %s: %w", server, err)
	}
	return r, nil
}

// recycleAfter: against a resolver that is not on loopback, a socket is
// replaced after this many queries, so that its source port (chosen at
// random by the kernel) changes every few hundred queries. With 4
// long-lived sockets an off-path forger of a "listed" or NXDOMAIN answer
// had about 18 bits to guess (16 of ID, 2 of which socket); RFC 5452 §4
// asks for the source port to be random too, which adds some 15 bits
// (Linux's 28,232 ephemeral ports) that change before a forger can learn
// them. On loopback no off-path packet can reach the socket, and the
// sockets are kept for speed.
const recycleAfter = 256

type udpServer struct {
	win     *window
	conns   []*muxConn
	mu      sync.Mutex
	next    int
	raddr   *net.UDPAddr
	recycle int64 // queries per socket before it is replaced; 0: never
}

func dialUDPServer(addr string, maxWindow int) (*udpServer, error) {
	raddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("resolver %s: %w", addr, err)
	}
	s := &udpServer{win: newWindow(maxWindow), raddr: raddr}
	if !raddr.IP.IsLoopback() {
		s.recycle = recycleAfter
	}
	for range udpSocketsPerServer {
		c, err := s.dial()
		if err != nil {
			for _, c := range s.conns {
				c.close()
			}
			return nil, fmt.Errorf("resolver %s: %w", addr, err)
		}
		s.conns = append(s.conns, c)
	}
	return s, nil
}

// dial opens one connected socket; the kernel picks a random source port.
func (s *udpServer) dial() (*muxConn, error) {
	conn, err := net.DialUDP("udp", nil, s.raddr)
	if err != nil {
		return nil, err
	}
	return newMuxConn(conn, s.raddr.IP.To4() == nil), nil
}

func (s *udpServer) exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	c := s.pick()
	defer c.release()
	return c.exchange(ctx, m)
}

// pick spreads queries over the sockets in turn, replacing a socket that
// has carried recycle queries (the old one closes when its last query is
// done). The caller must release the socket it got.
func (s *udpServer) pick() *muxConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.next
	s.next = (s.next + 1) % len(s.conns)
	c := s.conns[i]
	if s.recycle > 0 && c.uses.Add(1) > s.recycle {
		if nc, err := s.dial(); err == nil { // else keep the old port a while longer
			s.conns[i] = nc
			c.retire()
			c = nc
			c.uses.Add(1)
		}
	}
	c.acquire()
	return c
}

// close closes every socket.
func (s *udpServer) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.close()
	}
}
