package dnsbl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// breakerThreshold: after this many lookups in a row fail (after their
// retries), the list is not queried again in this run: a list that is
// down must not be hammered, and the rest of the run must not wait for it.
// It is at least twice the concurrency, since a server that stalls for a
// moment fails every lookup in flight at once.
const breakerThreshold = 32

func (c *Checker) breakerLimit() int32 {
	return int32(max(breakerThreshold, 2*c.cfg.Concurrency))
}

// runState is what one Check counts per list: failures in a row (the
// breaker) and queries sent (the budget).
type runState struct {
	fails []atomic.Int32
	spent []atomic.Int64
	// budget is each list's query budget for this run (0: none, -1:
	// the daily quota is spent), and budgetWhy words it.
	budget    []int64
	budgetWhy []string
	// shunned is each list's remembered health when it says the list is
	// not usable (nil otherwise): its lookups are not sent.
	shunned []*Health
}

func (c *Checker) newRunState(now time.Time) *runState {
	rs := &runState{fails: make([]atomic.Int32, len(c.lists)), spent: make([]atomic.Int64, len(c.lists)), shunned: make([]*Health, len(c.lists))}
	rs.budget, rs.budgetWhy = c.runBudgets(now)
	return rs
}

// job is one (query, list) lookup.
type job struct {
	target int
	query  string
	addr   netip.Addr
	domain bool
	list   *list
	// unchecked: the list does not answer addr's family; the job yields
	// an Unchecked result and sends nothing.
	unchecked bool
}

// plan is the expanded work of one Check.
type plan struct {
	targets []Target
	infos   []TargetInfo
	jobs    []job
}

// Check checks every target on every applicable list and the health of
// every list, concurrently. progress, if not nil, is called (serially)
// after each lookup. The error is for bad targets and cancellation only;
// a listing, a timeout or a dead list is part of the Report.
func (c *Checker) Check(ctx context.Context, targets []string, progress func(done, total int)) (*Report, error) {
	parsed := make([]Target, 0, len(targets))
	for _, s := range targets {
		t, err := ParseTarget(s)
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, t)
	}
	rep := &Report{Started: c.opts.now(), Lists: c.Lists(), Warnings: c.Warnings()}
	rs := c.newRunState(rep.Started)
	sentBefore := c.sentSnapshot()
	defer func() { c.recordSpent(c.sentSince(sentBefore), rep.Started) }()

	p := c.expand(ctx, parsed)
	rep.Targets = p.infos
	used := c.listsUsed(p.jobs)
	health, have := c.rememberedHealth(used)
	rs.shunned = shunned(health, have)
	freshDone := make(chan []bool, 1)
	go func() { freshDone <- c.checkHealth(ctx, used, have, health) }()
	var sent []bool
	rep.Results, sent = c.run(ctx, rs, p.jobs, parsed, progress)
	rep.Lookups, rep.ListsQueried = tallySent(rep.Results, sent)
	fresh := <-freshDone
	c.recheckListing(ctx, health, fresh, rep.Results)
	for i, h := range rs.shunned {
		health[i].NotQueried = h != nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.finish(rep, keepUsed(health, used), c.deadFor(p.jobs))
	rep.Finished = c.opts.now()
	return rep, nil
}

// finish applies health to the results and lists dead lists.
func (c *Checker) finish(rep *Report, health []Health, dead []List) {
	byList := map[string]Health{}
	for _, h := range health {
		byList[h.List] = h
	}
	for i := range rep.Results {
		applyHealth(&rep.Results[i], byList[rep.Results[i].List])
	}
	for _, d := range dead {
		health = append(health, Health{List: d.Name, Zone: shownZone(d.Zone), Status: Dead,
			Reason: fmt.Sprintf("dead since %s: %s", d.Dead, d.DeadReason)})
	}
	rep.Health = health
}

// run performs the jobs with a bounded pool of workers.
func (c *Checker) run(ctx context.Context, rs *runState, jobs []job, targets []Target, progress func(done, total int)) ([]Result, []bool) {
	results := make([]Result, len(jobs))
	sent := make([]bool, len(jobs))
	var next atomic.Int64
	var done int
	var mu sync.Mutex
	workers := min(c.cfg.Concurrency, max(1, len(jobs)))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) || ctx.Err() != nil {
					return
				}
				results[i], sent[i] = c.checkOne(ctx, rs, jobs[i], targets[jobs[i].target].Input)
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(jobs))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return results, sent
}

// tallySent counts the results for which a query was sent, and the
// lists they went to.
func tallySent(results []Result, sent []bool) (lookups, lists int) {
	seen := map[string]bool{}
	for i, r := range results {
		if sent[i] {
			lookups++
			seen[r.List] = true
		}
	}
	return lookups, len(seen)
}

// checkOne looks up one query on one list; sent says whether a query
// went out for it.
func (c *Checker) checkOne(ctx context.Context, rs *runState, j job, input string) (r Result, sent bool) {
	l := j.list
	r = Result{Target: input, Query: j.query, List: l.def.Name, Zone: l.shown, Codes: []string{}, Meanings: []string{},
		TXT: []string{}, Delist: l.def.Delist, Checked: c.opts.now()}
	if j.unchecked {
		r.Verdict = Unchecked
		r.Reason = fmt.Sprintf("not queried: list %s answers %s queries only (kind %s)", l.def.Name, kindFamily(l.def.Kind), l.def.Kind)
		return r, false
	}
	if h := rs.shunned[l.index]; h != nil {
		shunnedResult(&r, *h)
		return r, false
	}
	qname, ok := c.qnameFor(j)
	if !ok {
		r.Verdict, r.Reason = Error, "cannot build a query name for "+j.query
		return r, false
	}
	fails := &rs.fails[l.index]
	if n := fails.Load(); n >= c.breakerLimit() {
		r.Verdict = Error
		r.Reason = fmt.Sprintf("not queried: the list failed %d lookups in a row in this run", n)
		return r, false
	}
	m, err := c.lookup(ctx, rs, l, qname, dns.TypeA)
	if err != nil {
		r.Verdict, r.Reason = Error, l.redact(err.Error())
		if errors.Is(err, ErrBudget) {
			return r, false // refused by the budget: nothing went out
		}
		fails.Add(1)
		return r, true
	}
	fails.Store(0)
	a := classify(l, m, qname, true)
	r.Verdict, r.Reason = a.verdict, l.redact(a.reason)
	r.Codes = addrStrings(a.codes)
	if a.verdict == Listed {
		r.Severity = l.severity(a.codes)
	}
	if a.meanings != nil {
		r.Meanings = a.meanings
	}
	if a.verdict == Listed && !l.def.NoTXT {
		r.TXT = c.fetchTXT(ctx, rs, l, qname)
	}
	return r, true
}

// kindFamily words the families a list of kind k answers.
func kindFamily(k Kind) string {
	switch k {
	case KindIPv6:
		return "IPv6"
	case KindBoth:
		return "IPv4 and IPv6"
	case KindDomain:
		return "domain"
	}
	return "IPv4"
}

// fetchTXT returns the sanitised TXT reasons at qname; failures leave it
// empty (the verdict stands on the A records).
func (c *Checker) fetchTXT(ctx context.Context, rs *runState, l *list, qname string) []string {
	m, err := c.lookup(ctx, rs, l, qname, dns.TypeTXT)
	if err != nil || m.Rcode != dns.RcodeSuccess {
		return []string{}
	}
	out := []string{}
	for _, t := range txtStrings(m, qname) {
		out = append(out, textsafe.Line(l.redact(t)))
	}
	return out
}

func (c *Checker) qnameFor(j job) (string, bool) {
	if j.domain {
		return DomainQueryName(j.query, j.list.zone)
	}
	return QueryName(j.addr, j.list.def.Kind, j.list.zone)
}

// lookup queries for list l through its resolver and rate limit, and
// reports the event.
func (c *Checker) lookup(ctx context.Context, rs *runState, l *list, qname string, qtype uint16) (*dns.Msg, error) {
	wait := c.gate(rs, l)
	start := time.Now()
	m, tries, cached, err := c.look.lookup(ctx, qname, qtype, c.perList[l.index], wait)
	c.sent[l.index].Add(int64(tries))
	ev := QueryEvent{List: l.def.Name, Zone: l.shown, Type: dns.TypeToString[qtype], Duration: time.Since(start),
		Tries: tries, Cached: cached, Err: redactErr(l, err), Rcode: rcodeOf(m)}
	c.observe(ev)
	if slog.Default().Enabled(ctx, slog.LevelDebug) {
		slog.DebugContext(ctx, "dnsbl query", "list", ev.List, "name", l.redact(qname), "type", ev.Type,
			"rcode", ev.Rcode, "tries", ev.Tries, "cached", ev.Cached, "duration", ev.Duration, "error", ev.Err)
	}
	return m, err
}

// gate returns what a query to l waits for before it is sent (not when
// answered from the cache): the list's budget, then its rate limit; nil
// when it has neither. rs nil: no budget (health checks, which must not
// fail because the checks spent it).
func (c *Checker) gate(rs *runState, l *list) func(context.Context) error {
	lim := c.limiters[l.index]
	var budget int64
	why := ""
	if rs != nil {
		budget, why = rs.budget[l.index], rs.budgetWhy[l.index]
	}
	if lim == nil && budget == 0 {
		return nil
	}
	return func(ctx context.Context) error {
		if budget != 0 && rs.spent[l.index].Add(1) > max(budget, 0) {
			return fmt.Errorf("not queried: %w (%s)", ErrBudget, why)
		}
		if lim != nil {
			return lim.Wait(ctx)
		}
		return nil
	}
}

// sentSnapshot and sentSince measure the queries a Check sent per list.
func (c *Checker) sentSnapshot() []int64 {
	out := make([]int64, len(c.sent))
	for i := range c.sent {
		out[i] = c.sent[i].Load()
	}
	return out
}

func (c *Checker) sentSince(before []int64) []int64 {
	out := c.sentSnapshot()
	for i := range out {
		out[i] -= before[i]
	}
	return out
}

func (c *Checker) observe(e QueryEvent) {
	if c.opts.observer != nil {
		c.opts.observer(e)
	}
}

func rcodeOf(m *dns.Msg) string {
	if m == nil {
		return ""
	}
	return rcodeName(m.Rcode)
}
