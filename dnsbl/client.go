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
// minAttemptTimeout (Unbound's infra-cache-min-rtt default, 50 ms) and
// never more than the configured timeout; each retry doubles it. A local
// rbldnsd answers in microseconds, so a lost UDP packet costs a fraction
// of a second instead of the full timeout.
const (
	minAttemptTimeout = 50 * time.Millisecond
	initialRTO        = time.Second // RFC 6298 §2.1, before any sample
	servfailRetries   = 1           // SERVFAIL is usually a stable upstream failure
	servfailPause     = 50 * time.Millisecond
)

// lookuper runs queries with retries, TCP fallback and the cache.
type lookuper struct {
	transport Transport
	timeout   time.Duration
	retries   int
	cache     *answerCache

	mu  sync.Mutex
	rtt map[string]*rttEstimate
	// servers are the failover states of the servers (see aside.go).
	servers map[string]*serverState
}

type rttEstimate struct {
	srtt, rttvar time.Duration
}

// lookup asks server for (name, qtype). It returns the answer for NOERROR
// and NXDOMAIN, and an error wrapping ErrTimeout, ErrServFail,
// ErrRefusedRcode or the network failure otherwise.
// Retries go to the next server in turn, as resolv.conf(5) does.
func (l *lookuper) lookup(ctx context.Context, name string, qtype uint16, servers []string, wait func(context.Context) error) (*dns.Msg, int, bool, error) {
	key := cacheKey{name: name, qtype: qtype, server: servers[0]}
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

// exchange gets a NOERROR or NXDOMAIN answer from the servers in turn,
// as resolv.conf(5) does: a server that times out, fails (SERVFAIL),
// refuses (REFUSED) or cannot be reached is followed by the next one; an
// answer from any of them ends it. tries counts the queries sent.
func (l *lookuper) exchange(ctx context.Context, q *dns.Msg, servers []string) (*dns.Msg, int, error) {
	tries := 0
	var errs []error
	for _, server := range l.order(servers) {
		m, n, err := l.exchangeWatched(ctx, q, server, len(servers) > 1)
		tries += n
		if err == nil || ctx.Err() != nil || !failover(err) {
			return m, tries, err
		}
		errs = append(errs, err)
	}
	if len(errs) == 1 {
		return nil, tries, errs[0]
	}
	return nil, tries, fmt.Errorf("every resolver failed: %w", errors.Join(errs...))
}

// failover reports whether another server may do better: a timeout,
// SERVFAIL, REFUSED or a network error says something about this server,
// not about the name.
func failover(err error) bool {
	return errors.Is(err, ErrTimeout) || errors.Is(err, ErrServFail) || errors.Is(err, ErrRefusedRcode) || errors.Is(err, ErrNetwork) ||
		errors.Is(err, errSetAside)
}

// exchangeOne gets a NOERROR or NXDOMAIN answer from one server: one UDP
// round (with its retransmissions), TCP when the answer is truncated, and
// one more round after a SERVFAIL.
func (l *lookuper) exchangeOne(ctx context.Context, q *dns.Msg, server string) (*dns.Msg, int, error) {
	tries := 0
	servers := []string{server}
	for round := 0; ; round++ {
		m, sent, err := l.udp(ctx, q, servers)
		tries += sent
		if err == nil && m.Truncated {
			m, err = l.tcp(ctx, q, server)
		}
		switch {
		case ctx.Err() != nil:
			return nil, tries, ctx.Err()
		case errors.Is(err, ErrTimeout):
			return nil, tries, fmt.Errorf("%w: no answer after %d tries", ErrTimeout, tries)
		case err != nil:
			return nil, tries, fmt.Errorf("%w (%d tries)", err, tries)
		}
		switch m.Rcode {
		case dns.RcodeSuccess, dns.RcodeNameError:
			return m, tries, nil
		case dns.RcodeServerFailure:
			if round >= servfailRetries {
				return nil, tries, fmt.Errorf("%w (%d tries)", ErrServFail, tries)
			}
			l.pause(ctx, round)
		case dns.RcodeRefused:
			return nil, tries, fmt.Errorf("%w by the resolver", ErrRefusedRcode)
		default:
			return nil, tries, fmt.Errorf("%w: rcode %s", ErrBadAnswer, rcodeName(m.Rcode))
		}
	}
}

// retransmitter is a Transport that can send a query again under the same
// ID, so that a late answer to an earlier transmission still counts: when
// a server stalls, the queries queued in its socket are answered once it
// resumes, and a checker that has moved on to new IDs throws those answers
// away and fails.
type retransmitter interface {
	exchangeRetrans(ctx context.Context, m *dns.Msg, server string, retries int, timeout func(int) time.Duration) (*dns.Msg, int, error)
}

// udp sends q up to retries+1 times, waiting longer each time, and returns
// the first answer (any rcode) with the number of transmissions.
func (l *lookuper) udp(ctx context.Context, q *dns.Msg, servers []string) (*dns.Msg, int, error) {
	start := time.Now()
	if rt, ok := l.transport.(retransmitter); ok && len(servers) == 1 {
		m, sent, err := rt.exchangeRetrans(ctx, q, servers[0], l.retries, func(n int) time.Duration {
			return l.attemptTimeout(servers[0], n)
		})
		if err == nil && sent == 1 {
			l.observeRTT(servers[0], time.Since(start)) // Karn: only unambiguous samples
		}
		if err != nil && !errors.Is(err, ErrTimeout) {
			err = netError(servers[0], err)
		}
		return m, sent, err
	}
	var lastErr error
	for n := 0; n <= l.retries; n++ {
		server := servers[n%len(servers)]
		m, err := l.once(ctx, q, server, l.attemptTimeout(server, n))
		if err == nil {
			return m, n + 1, nil
		}
		if ctx.Err() != nil {
			return nil, n + 1, ctx.Err()
		}
		lastErr = err
		if !errors.Is(err, ErrTimeout) {
			l.pause(ctx, n)
		}
	}
	return nil, l.retries + 1, lastErr
}

// once sends one UDP query through a Transport that does not retransmit.
func (l *lookuper) once(ctx context.Context, q *dns.Msg, server string, timeout time.Duration) (*dns.Msg, error) {
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
	return m, nil
}

// tcp asks again over TCP after a truncated UDP answer (RFC 1035 §4.2.1,
// RFC 7766; miekg/dns does not do it by itself).
func (l *lookuper) tcp(ctx context.Context, q *dns.Msg, server string) (*dns.Msg, error) {
	tctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	m, err := l.transport.Exchange(tctx, q, server, true)
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

// pause waits before another attempt: longer each time, as the
// retransmitting transport does after an unreachable port.
func (l *lookuper) pause(ctx context.Context, attempt int) {
	sleepCtx(ctx, servfailPause<<attempt)
}

func (l *lookuper) attemptTimeout(server string, attempt int) time.Duration {
	if attempt >= l.retries {
		return l.timeout
	}
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
}
