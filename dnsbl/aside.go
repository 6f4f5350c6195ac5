package dnsbl

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/miekg/dns"
)

// A server whose lookups failed asideAfter times in a row (timeouts,
// SERVFAIL, REFUSED, network errors) is asked after the others for
// asideFor, as a stub resolver that learns (Unbound's infra cache, BIND's
// server selection) does and glibc's does not. Asking a dead first server
// first costs every lookup its whole retry budget, and the losses shrink
// that server's send window (see window) until two lookups at a time wait
// on it; so when a server is set aside, the lookups still waiting on it
// give up at once and go to the next server. It is still asked when the
// others fail, and first again once asideFor is over.
const (
	asideAfter = 3
	asideFor   = 30 * time.Second
)

// errSetAside ends the lookups waiting on a server that was set aside.
var errSetAside = errors.New("resolver set aside")

// errOverBudget ends a lookup that has waited on one server longer than
// its retransmissions would take, (retries+1) x timeout: against a dead
// server the shrunk send window makes lookups queue for their turn to
// transmit, and without this bound none of them would fail, none would
// count against the server, and it would never be set aside.
var errOverBudget = errors.New("no answer within the retry budget")

// serverState is one server's recent failures and the lookups waiting on
// it. Guarded by lookuper.mu.
type serverState struct {
	failing    int
	asideUntil time.Time
	waiting    map[*context.CancelCauseFunc]struct{}
}

func (l *lookuper) state(server string) *serverState {
	if l.servers == nil {
		l.servers = map[string]*serverState{}
	}
	st := l.servers[server]
	if st == nil {
		st = &serverState{waiting: map[*context.CancelCauseFunc]struct{}{}}
		l.servers[server] = st
	}
	return st
}

// order returns servers with those set aside moved to the end, keeping
// the configured order otherwise.
func (l *lookuper) order(servers []string) []string {
	if len(servers) < 2 {
		return servers
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	var ok, aside []string
	for _, s := range servers {
		if st := l.servers[s]; st != nil && now.Before(st.asideUntil) {
			aside = append(aside, s)
		} else {
			ok = append(ok, s)
		}
	}
	if len(aside) == 0 {
		return servers
	}
	return append(ok, aside...)
}

// exchangeWatched is exchangeOne that, when other servers could answer
// (others), counts the server's failures, gives up after the retry budget
// and as soon as the server is set aside.
func (l *lookuper) exchangeWatched(ctx context.Context, q *dns.Msg, server string, others bool) (*dns.Msg, int, error) {
	if !others {
		return l.exchangeOne(ctx, q, server)
	}
	budget := time.Duration(l.retries+1) * l.timeout
	bctx, stop := context.WithTimeoutCause(ctx, budget, fmt.Errorf("%w (%v) from %s: %w", errOverBudget, budget, server, ErrTimeout))
	defer stop()
	sctx, cancel := context.WithCancelCause(bctx)
	defer cancel(nil)
	l.mu.Lock()
	l.state(server).waiting[&cancel] = struct{}{}
	l.mu.Unlock()
	m, n, err := l.exchangeOne(sctx, q, server)
	l.mu.Lock()
	delete(l.state(server).waiting, &cancel)
	l.mu.Unlock()
	switch {
	case ctx.Err() != nil:
		return m, n, err
	case errors.Is(context.Cause(sctx), errSetAside):
		return nil, n, context.Cause(sctx)
	case errors.Is(context.Cause(sctx), errOverBudget):
		err = context.Cause(sctx)
	}
	l.noteOutcome(server, err)
	return m, n, err
}

// noteOutcome counts a server's failures in a row; the asideAfter-th sets
// it aside and ends the lookups waiting on it, with its error.
func (l *lookuper) noteOutcome(server string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.state(server)
	if err == nil || !failover(err) {
		st.failing = 0
		return
	}
	st.failing++
	if st.failing < asideAfter {
		return
	}
	st.failing = 0
	st.asideUntil = time.Now().Add(asideFor)
	cause := fmt.Errorf("%w after %d failed lookups in a row, the last: %w", errSetAside, asideAfter, err)
	for c := range st.waiting {
		(*c)(cause)
	}
}
