package dnsbl

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// checkHealth returns every list's health: from the cache while it is
// fresh (DefaultHealthTTL), else from its test points, asked concurrently
// (RFC 5782 §5: users SHOULD check the test points and SHOULD NOT trust a
// list that fails them).
func (c *Checker) checkHealth(ctx context.Context) []Health {
	c.loadStoredHealth()
	out := make([]Health, len(c.lists))
	fresh := make([]bool, len(c.lists))
	now := c.opts.now()
	var wg sync.WaitGroup
	for i, l := range c.lists {
		if h, ok := c.health.get(l, c.resolverOf(l), now); ok {
			out[i] = h
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
		return out // cancelled: half-asked test points are no verdict
	}
	var recs []HealthRecord
	for i := range out {
		if fresh[i] {
			rec := HealthRecord{Health: out[i], Resolver: c.resolverOf(c.lists[i]), Checked: now}
			c.health.put(rec)
			recs = append(recs, rec)
		}
	}
	c.saveStoredHealth(recs)
	return out
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
