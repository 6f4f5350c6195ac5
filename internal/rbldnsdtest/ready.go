package rbldnsdtest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// waitLog waits until ok(lines) holds, the process exits, or the timeout.
func (s *Server) waitLog(ctx context.Context, timeout time.Duration, ok func([]string) bool) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		lines, changed := s.log.snapshot()
		if ok(lines) {
			return nil
		}
		select {
		case <-changed:
		case <-s.done:
			// The last lines may land after the exit is noticed.
			if lines, _ := s.log.snapshot(); ok(lines) {
				return nil
			}
			return s.exitError()
		case <-deadline.C:
			return context.DeadlineExceeded
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// waitReady waits for rbldnsd to report it started, checks that every data
// line loaded, then waits for it to answer a query in zone.
func (s *Server) waitReady(ctx context.Context, zone string) error {
	ctx, cancel := context.WithTimeout(ctx, s.opts.ReadyTimeout)
	defer cancel()
	started := func(l []string) bool { return count(l, msgStarted) > 0 }
	if err := s.waitLog(ctx, s.opts.ReadyTimeout, started); err != nil {
		return fmt.Errorf("%w: %w; its output:\n%s", ErrNotReady, err, s.Log())
	}
	lines, _ := s.log.snapshot()
	if p := problems(lines); len(p) > 0 {
		return fmt.Errorf("%w: %s", ErrZoneFile, strings.Join(p, "; "))
	}
	return s.waitAnswer(ctx, zone)
}

// waitAnswer polls until rbldnsd answers anything for zone: an answer of
// any rcode proves the socket is served.
func (s *Server) waitAnswer(ctx context.Context, zone string) error {
	c := &dns.Client{Net: "udp", Timeout: 200 * time.Millisecond}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn("2.0.0.127."+zone), dns.TypeA)
	for {
		if _, _, err := c.ExchangeContext(ctx, m, s.Addr()); err == nil {
			return nil
		}
		select {
		case <-s.done:
			return s.exitError()
		case <-ctx.Done():
			return fmt.Errorf("%w: %w; its output:\n%s", ErrNotReady, ctx.Err(), s.Log())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
