package whoisctx

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Finder looks up abuse contacts. It is safe for concurrent use; share one
// per process so that its per-server limits and cache hold across lookups.
type Finder struct {
	cfg   Config
	now   func() time.Time
	cache Cache
	dns   *dnsLookup // nil when the DNS sources are off
	dnsT  Transport  // socket layer for the default DNS client
	http  *http.Client
	boot  *bootstrapSet
	lim   *limiter

	// whoisAddr, when set (tests only), maps the host:port we chose to the
	// address actually dialled, so that tests can check the choice of a
	// real registry's server against a loopback fake.
	whoisAddr func(hostPort string) string

	mu       sync.Mutex
	regLocks map[string]chan struct{}
}

// Option adjusts a Finder built by New.
type Option func(*Finder)

// WithClock injects the clock (cache expiry, result time stamps).
func WithClock(now func() time.Time) Option { return func(f *Finder) { f.now = now } }

// WithCache replaces the in-memory cache (state.DB implements Cache).
func WithCache(c Cache) Option { return func(f *Finder) { f.cache = c } }

// WithExchanger sends DNS queries through ex (for instance dnsbl's client)
// instead of the built-in miekg/dns client.
func WithExchanger(ex Exchanger) Option {
	return func(f *Finder) { f.dns = &dnsLookup{ex: ex} }
}

// WithTransport sends the default DNS client's queries through t (for
// instance a dnsbl.NetTransport shared with the blocklist checks).
func WithTransport(t Transport) Option { return func(f *Finder) { f.dnsT = t } }

// WithHTTPClient sets the HTTP client for RDAP; its Transport is wrapped so
// that answers stay within Config.MaxResponseBytes.
func WithHTTPClient(c *http.Client) Option { return func(f *Finder) { f.http = c } }

// New returns a Finder for cfg; defaults fill zero fields.
func New(cfg Config, opts ...Option) (*Finder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	f := &Finder{cfg: cfg, now: time.Now, regLocks: map[string]chan struct{}{}}
	for _, o := range opts {
		o(f)
	}
	if f.cache == nil {
		f.cache = NewMemoryCache()
	}
	base := f.http
	if base == nil {
		base = &http.Client{}
	}
	f.http = cappedHTTPClient(base, cfg.MaxResponseBytes)
	f.lim = newLimiter(cfg.MinInterval, f.now)
	boot, err := loadBootstrap(cfg.BootstrapDir)
	if err != nil {
		return nil, err
	}
	f.boot = boot
	if f.dns == nil && !cfg.SkipDNS {
		c, err := newDNSClient(cfg.DNSServers, f.dnsT, dnsAttemptTimeout(cfg.QueryTimeout))
		if err != nil {
			return nil, err
		}
		f.dns = &dnsLookup{ex: c}
	}
	if cfg.SkipDNS {
		f.dns = nil
	}
	return f, nil
}

// Lookup finds the abuse contacts for an IP address or a domain name. The
// error is for unusable input or a cancelled ctx only: failing sources
// become Warnings, and a lookup that found nothing is a Result with no
// Contacts. Config.Timeout bounds the work of the lookup; waiting for a
// registry busy with other lookups is bounded by ctx only.
func (f *Finder) Lookup(parent context.Context, query string) (*Result, error) {
	q := strings.TrimSuffix(strings.TrimSpace(query), ".")
	r := &run{parent: parent, left: f.cfg.Timeout}
	res := &Result{Query: q, Time: f.now(), Contacts: []Contact{}}
	if addr, err := netip.ParseAddr(q); err == nil && addr.Zone() == "" {
		res.Kind = KindIP
		f.lookupIP(r, addr.Unmap(), res)
	} else if validHostname(strings.ToLower(q)) {
		res.Kind = KindDomain
		res.Query = strings.ToLower(q)
		f.lookupDomain(r, res.Query, res)
	} else {
		return nil, fmt.Errorf("%q: %w", query, ErrInvalidQuery)
	}
	if err := parent.Err(); err != nil {
		return nil, fmt.Errorf("lookup %s: %w", q, err)
	}
	if r.left <= 0 {
		res.Incomplete = true
		res.Warnings = append(res.Warnings, fmt.Sprintf("lookup stopped at the %s time limit; the answer may be incomplete", f.cfg.Timeout))
	}
	finish(res)
	return res, nil
}

// run is one Lookup in progress: the caller's context, used while waiting
// for a busy registry (one query at a time, MinInterval apart: a batch of
// probers queues there), and the time budget (Config.Timeout) for the
// work itself, which the waiting does not consume.
type run struct {
	parent context.Context
	left   time.Duration
}

// work runs fn with a context bounded by what is left of the budget.
func (r *run) work(fn func(ctx context.Context)) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(r.parent, max(r.left, 0))
	defer cancel()
	fn(ctx)
	r.left -= time.Since(start)
}

// lockRegistry serialises lookups that would ask the same registry, so
// that the second lookup in a prefix finds the first one's answer in the
// cache instead of asking again. It returns the unlock function.
func (f *Finder) lockRegistry(ctx context.Context, key string) (func(), error) {
	f.mu.Lock()
	ch, ok := f.regLocks[key]
	if !ok {
		ch = make(chan struct{}, 1)
		f.regLocks[key] = ch
	}
	f.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for %s: %w", key, ctx.Err())
	}
}

// dnsAttemptTimeout is the wait for one DNS answer: short, since the
// client retries and the DNS sources are never worth the whole budget.
func dnsAttemptTimeout(query time.Duration) time.Duration {
	return min(query/2, 2*time.Second)
}
