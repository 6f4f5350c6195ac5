package dnsbl

import (
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// BudgetStore keeps the queries spent per list and UTC day between
// processes (the state file), for lists with a daily quota.
type BudgetStore interface {
	SpentToday(list string, at time.Time) (int64, error)
	AddSpent(spent map[string]int64, at time.Time) error
}

// WithBudgetStore counts daily queries in s (else in this process only).
func WithBudgetStore(s BudgetStore) Option { return func(o *options) { o.budgetStore = s } }

// dailyBudget counts queries per list and UTC day in this process.
type dailyBudget struct {
	mu    sync.Mutex
	day   string
	spent map[string]int64
}

func utcDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// spentToday is what the store (or, without one, this process) recorded
// for l today.
func (c *Checker) spentToday(l *list, now time.Time) int64 {
	if s := c.opts.budgetStore; s != nil {
		n, err := s.SpentToday(l.def.Name, now)
		if err == nil {
			return n
		}
		slog.Warn("daily query count not read from the state file; counting this process only", "list", l.def.Name, "err", err)
	}
	b := &c.daily
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.day != utcDay(now) {
		return 0
	}
	return b.spent[l.def.Name]
}

// runBudgets returns each list's budget for one run (0: none): the
// smaller of max_queries and what is left of daily_queries today. A list
// whose daily quota is spent gets -1: nothing is sent.
func (c *Checker) runBudgets(now time.Time) ([]int64, []string) {
	out := make([]int64, len(c.lists))
	why := make([]string, len(c.lists))
	for i, l := range c.lists {
		out[i] = int64(l.def.MaxQueries)
		why[i] = fmt.Sprintf("max_queries %d for this list in one run", l.def.MaxQueries)
		if l.def.DailyQueries <= 0 {
			continue
		}
		spent := c.spentToday(l, now)
		// the test points this run will ask come out of the same quota
		left := int64(l.def.DailyQueries) - spent - c.healthCost(l, now)
		daily := fmt.Sprintf("daily_queries %d for this list, %d spent today (UTC)", l.def.DailyQueries, spent)
		switch {
		case left <= 0:
			out[i], why[i] = -1, daily
		case out[i] == 0 || left < out[i]:
			out[i], why[i] = left, daily
		}
	}
	return out, why
}

// recordSpent adds a run's queries per list (test points included) to
// today's count, in the store and in this process.
func (c *Checker) recordSpent(sent []int64, now time.Time) {
	spent := map[string]int64{}
	for i, n := range sent {
		if n > 0 && c.lists[i].def.DailyQueries > 0 {
			spent[c.lists[i].def.Name] = n
		}
	}
	if len(spent) == 0 {
		return
	}
	b := &c.daily
	b.mu.Lock()
	if d := utcDay(now); b.day != d {
		b.day, b.spent = d, map[string]int64{}
	}
	for k, n := range spent {
		b.spent[k] += n
	}
	b.mu.Unlock()
	if s := c.opts.budgetStore; s != nil {
		if err := s.AddSpent(spent, now); err != nil {
			slog.Warn("daily query count not saved in the state file", "err", err)
		}
	}
}

// healthCost is the number of test point queries a run will send to l:
// none while its health is remembered.
func (c *Checker) healthCost(l *list, now time.Time) int64 {
	c.loadStoredHealth()
	if _, ok := c.health.get(l, c.resolverOf(l), now); ok {
		return 0
	}
	return int64(len(testPoints(l)))
}

// QuotaWarnings says which lists' daily quotas a schedule would exceed:
// runsPerDay runs of addresses IP lookups and domains domain lookups
// each (test points not counted). Lookups beyond a quota are errors, so
// a schedule that cannot fit is better told at start-up than found in
// the results every afternoon (serve on a /20 every 5 minutes asks ZEN
// 1.2 million times a day; the free tier allows 300,000).
func (c *Checker) QuotaWarnings(addresses, domains int, runsPerDay float64) []string {
	var out []string
	for _, l := range c.lists {
		if l.def.DailyQueries <= 0 {
			continue
		}
		per := addresses
		if l.def.Kind == KindDomain {
			per = domains
		}
		need := float64(per) * runsPerDay
		if need <= float64(l.def.DailyQueries) {
			continue
		}
		src := ""
		if l.def.QuotaSource != "" {
			src = " (" + l.def.QuotaSource + ")"
		}
		out = append(out, fmt.Sprintf("list %s: %.0f lookups a day (%d a run, %.0f runs a day) exceed its daily quota of %d%s; lookups beyond it will be errors: check less often, fewer targets, or use the operator's paid service",
			l.def.Name, need, per, runsPerDay, l.def.DailyQueries, src))
	}
	return out
}
