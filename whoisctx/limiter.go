package whoisctx

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// limiter keeps registries happy: one query at a time per server, a
// minimum interval between queries, and a back-off after a rate-limit
// answer (RIPE blocks an address for a day once it crosses its limit, so
// insisting is the worst thing to do).
type limiter struct {
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	servers map[string]*serverSlot
}

type serverSlot struct {
	sem     chan struct{} // capacity 1: one query in flight
	last    time.Time     // when the previous query started
	until   time.Time     // back-off end
	backoff time.Duration // current back-off step
}

const (
	firstBackoff = time.Minute
	maxBackoff   = 6 * time.Hour
)

func newLimiter(interval time.Duration, now func() time.Time) *limiter {
	return &limiter{interval: interval, now: now, servers: map[string]*serverSlot{}}
}

func (l *limiter) slot(server string) *serverSlot {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.servers[server]
	if !ok {
		s = &serverSlot{sem: make(chan struct{}, 1)}
		l.servers[server] = s
	}
	return s
}

// acquire waits for server's turn and returns the release function. It
// fails at once with ErrBackoff while the server is backing off.
func (l *limiter) acquire(ctx context.Context, server string) (func(), error) {
	s := l.slot(server)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for %s: %w", server, ctx.Err())
	}
	release := func() { <-s.sem }
	l.mu.Lock()
	until, last := s.until, s.last
	l.mu.Unlock()
	if l.now().Before(until) {
		release()
		return nil, fmt.Errorf("%s until %s: %w", server, until.UTC().Format(time.RFC3339), ErrBackoff)
	}
	if wait := last.Add(l.interval).Sub(l.now()); wait > 0 && !last.IsZero() {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			release()
			return nil, fmt.Errorf("waiting for %s: %w", server, ctx.Err())
		}
	}
	l.mu.Lock()
	s.last = l.now()
	l.mu.Unlock()
	return release, nil
}

// rateLimited records a rate-limit answer from server and doubles its
// back-off; retryAfter (from HTTP Retry-After) wins when longer.
func (l *limiter) rateLimited(server string, retryAfter time.Duration) time.Time {
	s := l.slot(server)
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case s.backoff == 0:
		s.backoff = firstBackoff
	case s.backoff < maxBackoff:
		s.backoff = min(2*s.backoff, maxBackoff)
	}
	d := max(s.backoff, retryAfter)
	s.until = l.now().Add(d)
	return s.until
}

// succeeded resets server's back-off after a good answer.
func (l *limiter) succeeded(server string) {
	s := l.slot(server)
	l.mu.Lock()
	defer l.mu.Unlock()
	s.backoff = 0
}
