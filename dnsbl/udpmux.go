package dnsbl

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// The reader takes up to udpReadBatch answers with one recvmmsg(2)
// (golang.org/x/net on Linux; one message per call elsewhere). Queries are
// written one by one: sendmmsg(2) through a writer goroutine was measured
// and saved nothing, since on loopback the cost of a send is the
// receiver's side of the packet, which batching does not change.
const (
	udpReadBatch = 32
	udpReadSize  = 4096 // without EDNS, answers over 512 octets are truncated (RFC 1035 §4.2.1)
)

// batchReader is what x/net's ipv4 and ipv6 PacketConns offer for reading
// batches; their Message types are one and the same.
type batchReader interface {
	ReadBatch(ms []ipv4.Message, flags int) (int, error)
}

// muxConn is one connected UDP socket with many outstanding queries,
// matched to their answers by ID and question.
type muxConn struct {
	conn   *net.UDPConn
	batch  batchReader
	closed atomic.Bool
	mu     sync.Mutex
	// pending is indexed by query ID: an array (512 KiB) rather than a
	// map, since three map operations per query were a tenth of the CPU.
	pending  *[1 << 16]*pendingQuery
	inFlight int
	// uses counts the queries given this socket (recycling); users are
	// the exchanges holding it, and a retired socket closes when the
	// last one lets go.
	uses    atomic.Int64
	users   int
	retired bool
}

// acquire and release bracket one exchange on the socket.
func (c *muxConn) acquire() {
	c.mu.Lock()
	c.users++
	c.mu.Unlock()
}

func (c *muxConn) release() {
	c.mu.Lock()
	c.users--
	done := c.retired && c.users == 0
	c.mu.Unlock()
	if done {
		c.close()
	}
}

// retire closes the socket once no exchange holds it.
func (c *muxConn) retire() {
	c.mu.Lock()
	c.retired = true
	done := c.users == 0
	c.mu.Unlock()
	if done {
		c.close()
	}
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

func newMuxConn(conn *net.UDPConn, v6 bool) *muxConn {
	// A burst of answers must not overflow the socket while the reader is
	// descheduled; the kernel caps this at rmem_max.
	_ = conn.SetReadBuffer(udpReadBuffer)
	c := &muxConn{conn: conn, pending: new([1 << 16]*pendingQuery)}
	if v6 {
		c.batch = ipv6.NewPacketConn(conn)
	} else {
		c.batch = ipv4.NewPacketConn(conn)
	}
	go c.readLoop()
	return c
}

func (c *muxConn) close() {
	if c.closed.CompareAndSwap(false, true) {
		c.conn.Close()
	}
}

// send writes one packet. ECONNREFUSED (an earlier ICMP port unreachable)
// fails every query on the socket at once rather than one by one.
func (c *muxConn) send(b []byte) error {
	_, err := c.conn.Write(b)
	if errors.Is(err, syscall.ECONNREFUSED) {
		c.failAll(errPortUnreachable)
		return nil // the query sees errPortUnreachable and pauses
	}
	return err
}

func (c *muxConn) exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	r, _, err := c.exchangeRetrans(ctx, m, 0, func(int) time.Duration { return time.Hour }, nil)
	return r, err
}

// exchangeRetrans sends m up to retries+1 times under one ID, waiting
// timeout(n) after the n-th transmission, and returns the first answer to
// any of them. Each transmission takes a token from w (nil: no window);
// an answer to an earlier transmission is taken while waiting for one.
// The context bounds the whole exchange.
func (c *muxConn) exchangeRetrans(ctx context.Context, m *dns.Msg, retries int, timeout func(int) time.Duration, w *window) (*dns.Msg, int, error) {
	if len(m.Question) != 1 {
		return nil, 0, fmt.Errorf("%w: want exactly one question", ErrBadAnswer)
	}
	p := &pendingQuery{q: m.Question[0], ch: make(chan udpReply, 1)}
	id, err := c.register(p)
	if err != nil {
		return nil, 0, err
	}
	defer c.unregister(id)
	q := *m // shallow copy: the caller's message may be shared
	q.Id = id
	buf, err := q.Pack()
	if err != nil {
		return nil, 0, fmt.Errorf("pack: %w", err)
	}
	t := &transmitter{c: c, p: p, buf: buf, w: w, timer: timerPool.Get().(*time.Timer)}
	defer t.done()
	var lastErr error
	for n := 0; n <= retries; n++ {
		r, err := t.transmit(ctx, timeout(n))
		switch {
		case err != nil:
			return nil, t.sent, err
		case r.msg != nil:
			return r.msg, t.sent, nil
		}
		lastErr = r.err
		if !errors.Is(r.err, ErrTimeout) && !sleepCtx(ctx, servfailPause<<n) { // port unreachable: pause
			return nil, t.sent, ctx.Err()
		}
	}
	return nil, t.sent, lastErr
}

// transmitter sends one query's transmissions and holds the window token
// of the one in flight.
type transmitter struct {
	c     *muxConn
	p     *pendingQuery
	buf   []byte
	w     *window
	timer *time.Timer
	sent  int
}

// transmit takes a token, sends, and waits up to d. It returns the answer
// (msg set), or why there was none (err set in the reply: a timeout or an
// unreachable port); a non-nil error ends the exchange.
func (t *transmitter) transmit(ctx context.Context, d time.Duration) (udpReply, error) {
	if t.w != nil {
		select {
		case <-t.w.tokens:
		case r := <-t.p.ch:
			return r, nil // an earlier transmission was answered meanwhile
		case <-ctx.Done():
			return udpReply{}, ctx.Err()
		}
	}
	if err := t.c.send(t.buf); err != nil {
		t.release(false)
		return udpReply{}, err
	}
	t.sent++
	t.timer.Reset(d)
	select {
	case r := <-t.p.ch:
		t.release(false)
		return r, nil
	case <-t.timer.C:
		if t.sent == 1 {
			t.release(true)
		} else if t.w != nil {
			t.w.giveBack() // see giveBack: a lost retransmission is no congestion signal
		}
		return udpReply{err: fmt.Errorf("%w after %v", ErrTimeout, d)}, nil
	case <-ctx.Done():
		t.release(false)
		return udpReply{}, ctx.Err()
	}
}

func (t *transmitter) release(lost bool) {
	if t.w != nil {
		t.w.release(lost)
	}
}

func (t *transmitter) done() {
	t.timer.Stop()
	timerPool.Put(t.timer)
}

// timerPool reuses the retransmission timers: one per query otherwise.
// Since Go 1.23 a stopped timer can be reset without draining it.
var timerPool = sync.Pool{New: func() any { return time.NewTimer(time.Hour) }}

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
	if c.inFlight > 60000 {
		return 0, errors.New("too many outstanding queries")
	}
	for {
		id := uint16(rand.Uint32())
		if c.pending[id] == nil {
			c.pending[id] = p
			c.inFlight++
			return id, nil
		}
	}
}

func (c *muxConn) unregister(id uint16) {
	c.mu.Lock()
	c.pending[id] = nil
	c.inFlight--
	c.mu.Unlock()
}

// readLoop takes answers in batches and hands each to its query.
func (c *muxConn) readLoop() {
	ms := make([]ipv4.Message, udpReadBatch)
	for i := range ms {
		ms[i].Buffers = [][]byte{make([]byte, udpReadSize)}
	}
	for {
		n, err := c.batch.ReadBatch(ms, 0)
		if err != nil {
			if c.closed.Load() || errors.Is(err, net.ErrClosed) {
				c.failAll(net.ErrClosed)
				return
			}
			if errors.Is(err, syscall.ECONNREFUSED) {
				// ICMP port unreachable: the server is not there; every
				// query on this socket would time out, so fail them now.
				c.failAll(errPortUnreachable)
			}
			continue
		}
		for i := range n {
			c.deliver(ms[i].Buffers[0][:ms[i].N])
		}
	}
}

func (c *muxConn) deliver(b []byte) {
	if len(b) < 12 {
		return
	}
	id := uint16(b[0])<<8 | uint16(b[1])
	c.mu.Lock()
	p := c.pending[id]
	c.mu.Unlock()
	if p == nil {
		return // late answer to a query that is over
	}
	r := new(dns.Msg)
	if err := r.Unpack(b); err != nil {
		// A truncated answer may not unpack completely; the header says so.
		if r.Truncated && sameQuestion(r, p.q) {
			reply(p, udpReply{msg: r})
		}
		return
	}
	if !sameQuestion(r, p.q) {
		return // not ours: ignore, as RFC 5452 §9.1 asks
	}
	reply(p, udpReply{msg: r})
}

func reply(p *pendingQuery, r udpReply) {
	select {
	case p.ch <- r:
	default:
	}
}

func (c *muxConn) failAll(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inFlight == 0 {
		return
	}
	for _, p := range c.pending {
		if p != nil {
			reply(p, udpReply{err: err})
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
