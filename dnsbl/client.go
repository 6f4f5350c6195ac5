package dnsbl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/miekg/dns"
)

// QueryEvent describes one lookup, for metrics (the Prometheus exporter
// counts errors and observes durations per list).
type QueryEvent struct {
	List     string        // list name; "" for resolving hostname targets
	Zone     string        // the list's zone, key redacted
	Type     string        // "A", "TXT", "AAAA"
	Duration time.Duration // wall time including retries
	Tries    int           // attempts sent (0 when cached)
	Cached   bool
	Rcode    string // "NOERROR", "NXDOMAIN", ... ("" on error)
	Err      error  // nil when the server answered NOERROR or NXDOMAIN
}

// Observer receives every QueryEvent; it is called from many goroutines.
type Observer func(QueryEvent)

// Retry timing. The first attempt waits for an estimate of the server's
// round trip (like TCP's RTO, RFC 6298: srtt + 4·rttvar), never less than
// minAttemptTimeout and never more than the configured timeout; each retry
// doubles it. A local rbldnsd answers in microseconds, so a lost UDP packet
// costs a fraction of a second instead of the full timeout.
const (
	minAttemptTimeout = 200 * time.Millisecond
	initialRTO        = time.Second // RFC 6298 §2.1, before any sample
	servfailRetries   = 1           // SERVFAIL is usually a stable upstream failure
)

// lookuper runs queries with retries, TCP fallback and the cache.
type lookuper struct {
	transport Transport
	timeout   time.Duration
	retries   int
	cache     *answerCache

	mu  sync.Mutex
	rtt map[string]*rttEstimate
}

type rttEstimate struct {
	srtt, rttvar time.Duration
	samples      int
}

// lookup asks server for (name, qtype). It returns the answer for NOERROR
// and NXDOMAIN, and an error wrapping ErrTimeout, ErrServFail,
// ErrRefusedRcode or the network failure otherwise.
// Retries go to the next server in turn, as resolv.conf(5) does.
func (l *lookuper) lookup(ctx context.Context, name string, qtype uint16, servers []string, wait func(context.Context) error) (*dns.Msg, int, bool, error) {
	key := cacheKey(name, qtype, servers[0])
	if m, ok := l.cache.get(key); ok {
		return m, 0, true, nil
	}
	if wait != nil {
		if err := wait(ctx); err != nil {
			return nil, 0, false, err
		}
	}
	q := new(dns.Msg)
	q.SetQuestion(name, qtype)
	q.RecursionDesired = true
	m, tries, err := l.exchange(ctx, q, servers)
	if err == nil {
		l.cache.put(key, m)
	}
	return m, tries, false, err
}

func (l *lookuper) exchange(ctx context.Context, q *dns.Msg, servers []string) (*dns.Msg, int, error) {
	var lastErr error
	servfails := 0
	tries := 0
	for attempt := 0; attempt <= l.retries; attempt++ {
		tries++
		m, err := l.attempt(ctx, q, servers[attempt%len(servers)], attempt)
		switch {
		case ctx.Err() != nil:
			return nil, tries, ctx.Err()
		case err != nil:
			lastErr = err
			if !errors.Is(err, ErrTimeout) {
				l.pause(ctx, attempt)
			}
			continue
		}
		switch m.Rcode {
		case dns.RcodeSuccess, dns.RcodeNameError:
			return m, tries, nil
		case dns.RcodeServerFailure:
			lastErr = ErrServFail
			if servfails++; servfails > servfailRetries {
				return nil, tries, fmt.Errorf("%w (%d tries)", ErrServFail, tries)
			}
			l.pause(ctx, attempt)
		case dns.RcodeRefused:
			return nil, tries, fmt.Errorf("%w by the resolver", ErrRefusedRcode)
		default:
			return nil, tries, fmt.Errorf("%w: rcode %s", ErrBadAnswer, dns.RcodeToString[m.Rcode])
		}
	}
	if errors.Is(lastErr, ErrTimeout) {
		return nil, tries, fmt.Errorf("%w: no answer after %d tries", ErrTimeout, tries)
	}
	if errors.Is(lastErr, ErrServFail) {
		return nil, tries, fmt.Errorf("%w (%d tries)", ErrServFail, tries)
	}
	return nil, tries, fmt.Errorf("%w (%d tries)", lastErr, tries)
}

// attempt sends one query, over TCP again when the UDP answer is truncated
// (RFC 1035 §4.2.1, RFC 7766; miekg/dns does not do it by itself).
func (l *lookuper) attempt(ctx context.Context, q *dns.Msg, server string, n int) (*dns.Msg, error) {
	timeout := l.attemptTimeout(server, n)
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	m, err := l.transport.Exchange(actx, q, server, false)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, fmt.Errorf("%w after %v", ErrTimeout, timeout)
		}
		return nil, netError(server, err)
	}
	l.observeRTT(server, time.Since(start))
	if !m.Truncated {
		return m, nil
	}
	tctx, tcancel := context.WithTimeout(ctx, l.timeout)
	defer tcancel()
	m, err = l.transport.Exchange(tctx, q, server, true)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isNetTimeout(err) {
			return nil, fmt.Errorf("%w over TCP after truncated UDP answer", ErrTimeout)
		}
		return nil, fmt.Errorf("truncated UDP answer, TCP retry failed: %w", netError(server, err))
	}
	return m, nil
}

// netError words a network failure without the ephemeral source port, so
// that the same failure reads the same for every lookup.
func netError(server string, err error) error {
	switch {
	case errors.Is(err, errPortUnreachable), errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("%w: %s refused the connection (nothing listening?)", ErrNetwork, server)
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return fmt.Errorf("%w: %s unreachable", ErrNetwork, server)
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: %s: %v", ErrNetwork, server, se.Err)
	}
	return fmt.Errorf("%w: %s: %v", ErrNetwork, server, err)
}

func isNetTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

func (l *lookuper) pause(ctx context.Context, attempt int) {
	d := minAttemptTimeout / 4 << attempt
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func (l *lookuper) attemptTimeout(server string, attempt int) time.Duration {
	l.mu.Lock()
	e := l.rtt[server]
	var rto time.Duration
	if e == nil {
		rto = min(initialRTO, l.timeout)
	} else {
		rto = e.srtt + 4*e.rttvar
	}
	l.mu.Unlock()
	rto = max(rto, minAttemptTimeout) << attempt
	return min(rto, l.timeout)
}

// observeRTT updates the estimate as RFC 6298 §2 does.
func (l *lookuper) observeRTT(server string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e := l.rtt[server]
	if e == nil {
		e = &rttEstimate{srtt: d, rttvar: d / 2}
		l.rtt[server] = e
	}
	diff := e.srtt - d
	if diff < 0 {
		diff = -diff
	}
	e.rttvar = (3*e.rttvar + diff) / 4
	e.srtt = (7*e.srtt + d) / 8
	e.samples++
}
