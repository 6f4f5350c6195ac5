package dnsbl

import (
	"context"
	"sync"

	"github.com/miekg/dns"
)

// checkHealth runs every list's test points concurrently. It runs once per
// Check (RFC 5782 §5: users SHOULD check the test points and SHOULD NOT
// trust a list that fails them).
func (c *Checker) checkHealth(ctx context.Context) []Health {
	out := make([]Health, len(c.lists))
	var wg sync.WaitGroup
	for i, l := range c.lists {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = c.listHealth(ctx, l)
		}()
	}
	wg.Wait()
	return out
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
