package dnsbl

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/time/rate"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// breakerThreshold: after this many lookups in a row fail (after their
// retries), the list is not queried again in this run: a list that is
// down must not be hammered, and the rest of the run must not wait for it.
const breakerThreshold = 32

// Option configures a Checker.
type Option func(*options)

type options struct {
	transport Transport
	now       func() time.Time
	observer  Observer
	catalogue *Catalogue
	getenv    func(string) string
}

// WithTransport replaces the network transport (tests, custom sockets).
func WithTransport(t Transport) Option { return func(o *options) { o.transport = t } }

// WithClock injects the clock used for Result.Checked, report times and
// cache expiry, so that outputs are reproducible.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithObserver receives an event for every lookup (metrics).
func WithObserver(obs Observer) Option { return func(o *options) { o.observer = obs } }

// WithCatalogue replaces the built-in catalogue.
func WithCatalogue(c *Catalogue) Option { return func(o *options) { o.catalogue = c } }

// WithGetenv replaces os.Getenv for list keys (key_env).
func WithGetenv(f func(string) string) Option { return func(o *options) { o.getenv = f } }

// Checker checks targets against lists. It is safe for concurrent use and
// meant to be reused: its cache and sockets outlive a single Check.
type Checker struct {
	cfg       Config
	opts      options
	lists     []*list
	dead      []List
	servers   []string   // default resolver
	perList   [][]string // resolver of each list
	limiters  []*rate.Limiter
	look      *lookuper
	warnings  []string
	ownTransp *NetTransport
}

// NewChecker validates cfg, picks the lists and prepares the resolver.
func NewChecker(cfg Config, opts ...Option) (*Checker, error) {
	o := options{now: time.Now, getenv: os.Getenv}
	for _, f := range opts {
		f(&o)
	}
	if o.catalogue == nil {
		o.catalogue = DefaultCatalogue()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	sel, err := selectLists(cfg, o.catalogue, o.getenv)
	if err != nil {
		return nil, err
	}
	c := &Checker{cfg: cfg, opts: o, lists: sel.lists, dead: sel.dead, warnings: sel.warnings}
	if err := c.setResolvers(); err != nil {
		return nil, err
	}
	c.setTransport()
	for _, l := range c.lists {
		var lim *rate.Limiter
		if l.def.Rate > 0 {
			lim = rate.NewLimiter(rate.Limit(l.def.Rate), max(1, int(l.def.Rate)))
		}
		c.limiters = append(c.limiters, lim)
	}
	c.warnings = append(c.warnings, c.publicResolverWarnings()...)
	return c, nil
}

func (c *Checker) setTransport() {
	t := c.opts.transport
	if t == nil {
		c.ownTransp = NewNetTransport()
		t = c.ownTransp
	}
	var cache *answerCache
	if !c.cfg.NoCache {
		cache = newAnswerCache(c.opts.now)
	}
	c.look = &lookuper{transport: t, timeout: c.cfg.Timeout, retries: c.cfg.Retries, cache: cache, rtt: map[string]*rttEstimate{}}
}

// setResolvers reads the system resolver only when some list needs it.
func (c *Checker) setResolvers() error {
	var sys []string
	system := func() ([]string, error) {
		if sys == nil {
			var err error
			if sys, err = systemServers(c.cfg.ResolvConf); err != nil {
				return nil, err
			}
		}
		return sys, nil
	}
	var err error
	if c.cfg.Resolver == "" || c.cfg.Resolver == "system" {
		c.servers, err = system()
	} else {
		var s string
		s, err = normaliseServer(c.cfg.Resolver)
		c.servers = []string{s}
	}
	if err != nil {
		return err
	}
	for _, l := range c.lists {
		servers := c.servers
		if l.def.Resolver != "" {
			s, err := normaliseServer(l.def.Resolver)
			if err != nil {
				return fmt.Errorf("list %s: %w", l.def.Name, err)
			}
			servers = []string{s}
		}
		c.perList = append(c.perList, servers)
	}
	return nil
}

// publicResolverWarnings: one warning per public resolver that would
// carry queries for lists known to refuse public resolvers.
func (c *Checker) publicResolverWarnings() []string {
	byServer := map[string][]string{}
	var order []string
	for i, l := range c.lists {
		if !l.def.RefusesPublicResolvers {
			continue
		}
		for _, s := range c.perList[i] {
			if _, ok := PublicResolver(s); ok {
				if byServer[s] == nil {
					order = append(order, s)
				}
				byServer[s] = append(byServer[s], l.def.Name)
			}
		}
	}
	var out []string
	for _, s := range order {
		who, _ := PublicResolver(s)
		out = append(out, fmt.Sprintf("resolver %s is a public resolver (%s); %s refuse queries through public resolvers, so their answers will be refusals: use your own recursive resolver (or a DQS key)",
			hostOnly(s), who, strings.Join(byServer[s], ", ")))
	}
	return out
}

// Close releases the checker's sockets.
func (c *Checker) Close() error {
	if c.ownTransp != nil {
		return c.ownTransp.Close()
	}
	return nil
}

// Lists describes the lists the checker queries (keys redacted).
func (c *Checker) Lists() []ListInfo {
	out := make([]ListInfo, 0, len(c.lists))
	for i, l := range c.lists {
		out = append(out, ListInfo{
			Name: l.def.Name, Zone: l.shown, Kind: l.def.Kind, Allowlist: l.def.Allowlist,
			Description: l.def.Description, Delist: l.def.Delist, Policy: l.def.Policy,
			RequiresRegistration: l.def.RequiresRegistration, RefusesPublicResolvers: l.def.RefusesPublicResolvers,
			Resolver: strings.Join(c.perList[i], ","),
		})
	}
	return out
}

// Warnings are the checker's standing warnings (dead lists asked for,
// public resolvers); every Report repeats them.
func (c *Checker) Warnings() []string { return append([]string(nil), c.warnings...) }

// job is one (query, list) lookup.
type job struct {
	target int
	query  string
	addr   netip.Addr
	domain bool
	list   *list
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
	healthDone := make(chan []Health, 1)
	go func() { healthDone <- c.checkHealth(ctx) }()

	p := c.expand(ctx, parsed)
	rep.Targets = p.infos
	rep.Results = c.run(ctx, p.jobs, parsed, progress)
	health := <-healthDone
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.finish(rep, health)
	rep.Finished = c.opts.now()
	return rep, nil
}

// finish applies health to the results and lists dead lists.
func (c *Checker) finish(rep *Report, health []Health) {
	byList := map[string]Health{}
	for _, h := range health {
		byList[h.List] = h
	}
	for i := range rep.Results {
		applyHealth(&rep.Results[i], byList[rep.Results[i].List])
	}
	for _, d := range c.dead {
		health = append(health, Health{List: d.Name, Zone: strings.ReplaceAll(d.Zone, KeyPlaceholder, redactedKey), Status: Dead,
			Reason: fmt.Sprintf("dead since %s: %s", d.Dead, d.DeadReason)})
	}
	rep.Health = health
}

// run performs the jobs with a bounded pool of workers.
func (c *Checker) run(ctx context.Context, jobs []job, targets []Target, progress func(done, total int)) []Result {
	results := make([]Result, len(jobs))
	var next atomic.Int64
	var done int
	var mu sync.Mutex
	breaker := make([]atomic.Int32, len(c.lists))
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
				results[i] = c.checkOne(ctx, jobs[i], targets[jobs[i].target].Input, &breaker[jobs[i].list.index])
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
	return results
}

// checkOne looks up one query on one list.
func (c *Checker) checkOne(ctx context.Context, j job, input string, fails *atomic.Int32) Result {
	l := j.list
	r := Result{Target: input, Query: j.query, List: l.def.Name, Zone: l.shown, Codes: []string{}, Meanings: []string{},
		TXT: []string{}, Delist: l.def.Delist, Checked: c.opts.now()}
	qname, ok := c.qnameFor(j)
	if !ok {
		r.Verdict, r.Reason = Error, "cannot build a query name for "+j.query
		return r
	}
	if n := fails.Load(); n >= breakerThreshold {
		r.Verdict = Error
		r.Reason = fmt.Sprintf("not queried: the list failed %d lookups in a row in this run", n)
		return r
	}
	m, err := c.lookup(ctx, l, qname, dns.TypeA)
	if err != nil {
		fails.Add(1)
		r.Verdict, r.Reason = Error, l.redact(err.Error())
		return r
	}
	fails.Store(0)
	a := classify(l, m, qname, true)
	r.Verdict, r.Reason = a.verdict, l.redact(a.reason)
	r.Codes = addrStrings(a.codes)
	if a.meanings != nil {
		r.Meanings = a.meanings
	}
	if a.verdict == Listed && !l.def.NoTXT {
		r.TXT = c.fetchTXT(ctx, l, qname)
	}
	return r
}

// fetchTXT returns the sanitised TXT reasons at qname; failures leave it
// empty (the verdict stands on the A records).
func (c *Checker) fetchTXT(ctx context.Context, l *list, qname string) []string {
	m, err := c.lookup(ctx, l, qname, dns.TypeTXT)
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
func (c *Checker) lookup(ctx context.Context, l *list, qname string, qtype uint16) (*dns.Msg, error) {
	var wait func(context.Context) error
	if lim := c.limiters[l.index]; lim != nil {
		wait = lim.Wait
	}
	start := time.Now()
	m, tries, cached, err := c.look.lookup(ctx, qname, qtype, c.perList[l.index], wait)
	ev := QueryEvent{List: l.def.Name, Zone: l.shown, Type: dns.TypeToString[qtype], Duration: time.Since(start),
		Tries: tries, Cached: cached, Err: redactErr(l, err), Rcode: rcodeOf(m)}
	c.observe(ev)
	if slog.Default().Enabled(ctx, slog.LevelDebug) {
		slog.DebugContext(ctx, "dnsbl query", "list", ev.List, "name", l.redact(qname), "type", ev.Type,
			"rcode", ev.Rcode, "tries", ev.Tries, "cached", ev.Cached, "duration", ev.Duration, "error", ev.Err)
	}
	return m, err
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

// redactErr keeps the error's identity (errors.Is) but not the key.
func redactErr(l *list, err error) error {
	if err == nil || l.key == "" || !strings.Contains(err.Error(), l.key) {
		return err
	}
	return &redactedError{msg: l.redact(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return unwrapSentinel(e.err) }

// unwrapSentinel exposes only our named errors, never the raw message.
func unwrapSentinel(err error) error {
	for _, s := range []error{ErrTimeout, ErrServFail, ErrRefusedRcode, ErrNetwork, ErrBadAnswer} {
		if isErr(err, s) {
			return s
		}
	}
	return nil
}

// domainsOf returns name and, when different, its registered domain
// (publicsuffix): a domain list may list example.org but not
// mail.example.org.
func domainsOf(name string) []string {
	out := []string{name}
	if reg, err := publicsuffix.EffectiveTLDPlusOne(name); err == nil && reg != name {
		out = append(out, reg)
	}
	return out
}
