package whoisctx

import (
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// whoisDialer is the proxy.Dialer handed to likexian/whois. The library
// bounds neither the dial (SetTimeout does not reach it, issues #37 and
// #43) nor the size of an answer (io.ReadAll): this dialer dials with our
// context and timeout, closes the connection when the context ends (a
// server that trickles bytes cannot outlast our deadline), and fails reads
// past max bytes, which makes the library return the text read so far
// together with the error.
type whoisDialer struct {
	ctx       context.Context
	timeout   time.Duration
	max       int64
	truncated atomic.Bool
}

func (d *whoisDialer) Dial(network, addr string) (net.Conn, error) {
	nd := net.Dialer{Timeout: d.timeout}
	c, err := nd.DialContext(d.ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if dl, ok := d.ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	cc := &cappedConn{Conn: c, left: d.max, dialer: d}
	cc.stop = context.AfterFunc(d.ctx, func() { _ = c.Close() })
	return cc, nil
}

// cappedConn fails reads with ErrTooLarge once left bytes have been read.
type cappedConn struct {
	net.Conn
	left   int64
	dialer *whoisDialer
	stop   func() bool
	once   sync.Once
}

func (c *cappedConn) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.dialer.truncated.Store(true)
		return 0, fmt.Errorf("whois answer over %d bytes: %w", c.dialer.max, ErrTooLarge)
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.Conn.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cappedConn) Close() error {
	c.once.Do(func() { c.stop() })
	return c.Conn.Close()
}
