package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// newWatchChecker builds the dnsbl checker for watch and serve from the
// dnsbl section and --resolver; obs (may be nil) sees every query. With a
// state database (may be nil), list health and daily query counts are
// kept in it.
func newWatchChecker(ctx context.Context, c *cli.Context, dc dnsbl.Config, obs dnsbl.Observer, db *state.DB) (*dnsbl.Checker, error) {
	if r := c.String(flagResolver); r != "" {
		dc.Resolver = r
	}
	var opts []dnsbl.Option
	if obs != nil {
		opts = append(opts, dnsbl.WithObserver(obs))
	}
	opts = append(opts, listStoreOptions(ctx, db)...)
	return dnsbl.NewChecker(dc, opts...)
}

// listStoreOptions keep list health and daily query counts in db (none
// when db is nil).
func listStoreOptions(ctx context.Context, db *state.DB) []dnsbl.Option {
	if db == nil {
		return nil
	}
	s := db.ListStore(ctx)
	return []dnsbl.Option{dnsbl.WithHealthStore(s), dnsbl.WithBudgetStore(s)}
}

// warnQuotas logs the lists whose daily quota a schedule of targets every
// interval would exceed.
func warnQuotas(ck *dnsbl.Checker, targets []string, every time.Duration) {
	if ck == nil || every <= 0 || len(targets) == 0 {
		return
	}
	addrs, names := 0, 0
	for _, s := range targets {
		t, err := dnsbl.ParseTarget(s)
		if err != nil {
			continue
		}
		switch t.Kind {
		case dnsbl.TargetName:
			addrs, names = addrs+2, names+2 // its addresses; it and its registered domain
		default:
			addrs += len(t.Addrs())
		}
	}
	for _, w := range ck.QuotaWarnings(addrs, names, float64(24*time.Hour)/float64(every)) {
		slog.Warn(w)
	}
}
