package dnsbl

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Option configures a Checker.
type Option func(*options)

type options struct {
	transport Transport
	now       func() time.Time
	observer  Observer
	catalogue *Catalogue
	getenv    func(string) string
	// healthStore keeps list health between processes.
	healthStore HealthStore
	// budgetStore counts daily queries between processes.
	budgetStore BudgetStore
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
	health    *healthCache
	// healthLoaded: the health store was read (once per checker).
	healthLoaded atomic.Bool
	// sent counts the queries sent to each list (retries included), for
	// daily quotas; daily is today's count in this process.
	sent  []atomic.Int64
	daily dailyBudget
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
	c := &Checker{cfg: cfg, opts: o, lists: sel.lists, dead: sel.dead, warnings: sel.warnings, health: newHealthCache(cfg.HealthTTL)}
	if err := c.setResolvers(); err != nil {
		return nil, err
	}
	c.setTransport()
	c.sent = make([]atomic.Int64, len(c.lists))
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
		// Health queries run beside the workers: room for them too.
		c.ownTransp.maxWindow = c.cfg.Concurrency + 3*len(c.lists)
		t = c.ownTransp
	}
	var cache *answerCache
	if !c.cfg.NoCache {
		cache = newAnswerCache(c.opts.now)
	}
	c.look = &lookuper{transport: t, timeout: c.cfg.Timeout, retries: c.cfg.Retries, cache: cache, rtt: map[string]*rttEstimate{}}
}

// setResolvers sets the default resolver (the system's unless one is
// configured), which also resolves name targets, and each list's own.
func (c *Checker) setResolvers() error {
	var err error
	if c.cfg.Resolver == "" || c.cfg.Resolver == "system" {
		c.servers, err = systemServers(c.cfg.ResolvConf)
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
	for _, l := range c.lists {
		out = append(out, ListInfo{
			Name: l.def.Name, Zone: l.shown, Kind: l.def.Kind, Allowlist: l.def.Allowlist,
			Description: l.def.Description, Delist: l.def.Delist, Policy: l.def.Policy,
			RequiresRegistration: l.def.RequiresRegistration, RefusesPublicResolvers: l.def.RefusesPublicResolvers,
			Resolver: c.resolverOf(l), Severity: l.listSeverity(),
		})
	}
	return out
}

// Warnings are the checker's standing warnings (dead lists asked for,
// public resolvers); every Report repeats them.
func (c *Checker) Warnings() []string { return append([]string(nil), c.warnings...) }
