package dnsbl

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// rememberedHealth returns the remembered health of every list the run
// will query (used), while it is fresh (DefaultHealthTTL); have marks the
// lists it knows.
func (c *Checker) rememberedHealth(used []bool) (out []Health, have []bool) {
	c.loadStoredHealth()
	out = make([]Health, len(c.lists))
	have = make([]bool, len(c.lists))
	now := c.opts.now()
	for i, l := range c.lists {
		if !used[i] {
			continue
		}
		out[i], have[i] = c.health.get(l, c.resolverOf(l), now)
	}
	return out, have
}

// checkHealth asks the test points of every list the run will query
// (used) whose health is not remembered (have), concurrently, and fills
// out (RFC 5782 §5: users SHOULD check the test points and SHOULD NOT
// trust a list that fails them). Lists the run does not query (a domain
// list when only an IP is checked) are not asked: their test points
// would cost queries and report on lists that played no part.
func (c *Checker) checkHealth(ctx context.Context, used, have []bool, out []Health) (fresh []bool) {
	fresh = make([]bool, len(c.lists))
	now := c.opts.now()
	var wg sync.WaitGroup
	for i, l := range c.lists {
		if !used[i] || have[i] {
			continue
		}
		fresh[i] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = c.listHealth(ctx, l)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return fresh // cancelled: half-asked test points are no verdict
	}
	c.remember(out, fresh, now)
	return fresh
}

// remember keeps the fresh healths in the cache and the store.
func (c *Checker) remember(out []Health, fresh []bool, now time.Time) {
	var recs []HealthRecord
	for i := range out {
		if fresh[i] {
			rec := HealthRecord{Health: out[i], Resolver: c.resolverOf(c.lists[i]), Checked: now}
			c.health.put(rec)
			recs = append(recs, rec)
		}
	}
	c.saveStoredHealth(recs)
}

// recheckListing asks the test points again of every list whose health
// came from the cache, was asked more than a twelfth of the TTL ago (5
// minutes of an hour), and answered "listed" in this run: a list that
// began to list the whole world (its domain expired, a wildcard) since
// its health was remembered must not name anyone for the rest of the
// hour. Listings are rare, so a clean run still sends only its lookups,
// and a /probe of a listed target re-asks them at most every 5 minutes.
func (c *Checker) recheckListing(ctx context.Context, health []Health, fresh []bool, results []Result) {
	listed := map[string]bool{}
	for _, r := range results {
		if r.Verdict == Listed {
			listed[r.List] = true
		}
	}
	again := make([]bool, len(c.lists))
	now := c.opts.now()
	var wg sync.WaitGroup
	for i, l := range c.lists {
		if fresh[i] || !listed[l.def.Name] || c.health.age(l, now) < c.cfg.HealthTTL/healthErrorTTLDivisor {
			continue
		}
		again[i] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			health[i] = c.listHealth(ctx, l)
		}()
	}
	wg.Wait()
	if ctx.Err() == nil {
		c.remember(health, again, now)
	}
}

// resolverOf names the servers that carry l's queries.
func (c *Checker) resolverOf(l *list) string { return strings.Join(c.perList[l.index], ",") }

// loadStoredHealth reads the health store once per checker.
func (c *Checker) loadStoredHealth() {
	if c.opts.healthStore == nil || c.healthLoaded.Swap(true) {
		return
	}
	recs, err := c.opts.healthStore.LoadHealth()
	if err != nil {
		slog.Warn("list health from the state file not read; asking the test points", "err", err)
		return
	}
	c.health.load(recs)
}

func (c *Checker) saveStoredHealth(recs []HealthRecord) {
	if c.opts.healthStore == nil || len(recs) == 0 || c.cfg.HealthTTL <= 0 {
		return
	}
	if err := c.opts.healthStore.SaveHealth(recs); err != nil {
		slog.Warn("list health not saved in the state file", "err", err)
	}
}

func (c *Checker) listHealth(ctx context.Context, l *list) Health {
	tps := testPoints(l)
	outs := make([]testOutcome, len(tps))
	var wg sync.WaitGroup
	for i, tp := range tps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := c.lookup(ctx, nil, l, tp.qname, dns.TypeA) // not counted in the budget
			outs[i] = testOutcome{tp: tp, err: err}
			if err == nil {
				outs[i].ans = classify(l, m, tp.qname, false)
			}
		}()
	}
	wg.Wait()
	return judgeHealth(l, outs)
}
