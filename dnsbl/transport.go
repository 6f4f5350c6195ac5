package dnsbl

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"syscall"
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
}

// NewNetTransport returns a ready Transport; Close releases its sockets.
func NewNetTransport() *NetTransport {
	return &NetTransport{servers: make(map[string]*udpServer)}
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
	return s.pick().exchangeRetrans(ctx, m, retries, timeout)
}

// Close closes every socket; pending queries fail.
func (t *NetTransport) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	for _, s := range t.servers {
		for _, c := range s.conns {
			c.conn.Close()
		}
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
	s, err := dialUDPServer(addr)
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

type udpServer struct {
	conns []*muxConn
	mu    sync.Mutex
	next  int
}

func dialUDPServer(addr string) (*udpServer, error) {
	raddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("resolver %s: %w", addr, err)
	}
	s := &udpServer{}
	for range udpSocketsPerServer {
		conn, err := net.DialUDP("udp", nil, raddr)
		if err != nil {
			for _, c := range s.conns {
				c.conn.Close()
			}
			return nil, fmt.Errorf("resolver %s: %w", addr, err)
		}
		// A burst of answers must not overflow the socket while the
		// reader is descheduled; the kernel caps this at rmem_max.
		_ = conn.SetReadBuffer(udpReadBuffer)
		mc := &muxConn{conn: conn, pending: make(map[uint16]*pendingQuery)}
		go mc.readLoop()
		s.conns = append(s.conns, mc)
	}
	return s, nil
}

func (s *udpServer) exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	return s.pick().exchange(ctx, m)
}

// pick spreads queries over the sockets in turn.
func (s *udpServer) pick() *muxConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.conns[s.next]
	s.next = (s.next + 1) % len(s.conns)
	return c
}

// muxConn is one connected UDP socket with many outstanding queries.
type muxConn struct {
	conn    *net.UDPConn
	mu      sync.Mutex
	pending map[uint16]*pendingQuery
}

type pendingQuery struct {
	q  dns.Question
	ch chan udpReply
}

type udpReply struct {
	msg *dns.Msg
	err error
}

var errPortUnreachable = errors.New("connection refused (nothing listening)")

func (c *muxConn) exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	if len(m.Question) != 1 {
		return nil, fmt.Errorf("%w: want exactly one question", ErrBadAnswer)
	}
	p := &pendingQuery{q: m.Question[0], ch: make(chan udpReply, 1)}
	id, err := c.register(p)
	if err != nil {
		return nil, err
	}
	defer c.unregister(id)
	q := *m // shallow copy: the caller's message may be shared
	q.Id = id
	buf, err := q.Pack()
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	if _, err := c.conn.Write(buf); err != nil {
		return nil, err
	}
	select {
	case r := <-p.ch:
		return r.msg, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// exchangeRetrans sends m up to retries+1 times under one ID, waiting
// timeout(n) after the n-th transmission, and returns the first answer.
func (c *muxConn) exchangeRetrans(ctx context.Context, m *dns.Msg, retries int, timeout func(int) time.Duration) (*dns.Msg, int, error) {
	if len(m.Question) != 1 {
		return nil, 0, fmt.Errorf("%w: want exactly one question", ErrBadAnswer)
	}
	p := &pendingQuery{q: m.Question[0], ch: make(chan udpReply, 1)}
	id, err := c.register(p)
	if err != nil {
		return nil, 0, err
	}
	defer c.unregister(id)
	q := *m
	q.Id = id
	buf, err := q.Pack()
	if err != nil {
		return nil, 0, fmt.Errorf("pack: %w", err)
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	var lastErr error
	sent := 0
	for n := 0; n <= retries; n++ {
		if _, err := c.conn.Write(buf); err != nil {
			lastErr = err
			if !sleepCtx(ctx, servfailPause<<n) {
				return nil, sent, ctx.Err()
			}
			continue
		}
		sent++
		d := timeout(n)
		timer.Reset(d)
		select {
		case r := <-p.ch:
			if r.err == nil {
				return r.msg, sent, nil
			}
			lastErr = r.err // the port was unreachable: pause, send again
			if !sleepCtx(ctx, servfailPause<<n) {
				return nil, sent, ctx.Err()
			}
		case <-timer.C:
			lastErr = fmt.Errorf("%w after %v", ErrTimeout, d)
		case <-ctx.Done():
			return nil, sent, ctx.Err()
		}
	}
	return nil, sent, lastErr
}

// sleepCtx waits d or until ctx is done; it reports whether ctx is alive.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// register picks a random free ID (RFC 5452: unpredictable IDs and ports).
func (c *muxConn) register(p *pendingQuery) (uint16, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 60000 {
		return 0, errors.New("too many outstanding queries")
	}
	for {
		id := uint16(rand.Uint32())
		if _, busy := c.pending[id]; !busy {
			c.pending[id] = p
			return id, nil
		}
	}
}

func (c *muxConn) unregister(id uint16) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

func (c *muxConn) readLoop() {
	buf := make([]byte, dns.MaxMsgSize)
	for {
		n, err := c.conn.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				c.failAll(err)
				return
			}
			if errors.Is(err, syscall.ECONNREFUSED) {
				// ICMP port unreachable: the server is not there; every
				// query on this socket would time out, so fail them now.
				c.failAll(errPortUnreachable)
			}
			continue
		}
		c.deliver(buf[:n])
	}
}

func (c *muxConn) deliver(b []byte) {
	if len(b) < 12 {
		return
	}
	id := uint16(b[0])<<8 | uint16(b[1])
	c.mu.Lock()
	p, ok := c.pending[id]
	c.mu.Unlock()
	if !ok {
		return // late answer to a query that timed out
	}
	r := new(dns.Msg)
	if err := r.Unpack(b); err != nil {
		// A truncated answer may not unpack completely; the header says so.
		if r.Truncated {
			select {
			case p.ch <- udpReply{msg: r}:
			default:
			}
		}
		return
	}
	if !sameQuestion(r, p.q) {
		return // not ours: ignore, as RFC 5452 §9.1 asks
	}
	select {
	case p.ch <- udpReply{msg: r}:
	default:
	}
}

func (c *muxConn) failAll(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.pending {
		select {
		case p.ch <- udpReply{err: err}:
		default:
		}
	}
}

func sameQuestion(r *dns.Msg, q dns.Question) bool {
	if len(r.Question) != 1 {
		return false
	}
	a := r.Question[0]
	return a.Qtype == q.Qtype && a.Qclass == q.Qclass && strings.EqualFold(a.Name, q.Name)
}
