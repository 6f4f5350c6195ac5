package main

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// newWatchChecker builds the dnsbl checker for watch and serve from the
// dnsbl section and --resolver; obs (may be nil) sees every query. With a
// state database (may be nil), list health and daily query counts are
// kept in it.
func newWatchChecker(ctx context.Context, c *cli.Context, dc dnsbl.Config, obs dnsbl.Observer, db *state.DB) (watch.Checker, func(), error) {
	if r := c.String(flagResolver); r != "" {
		dc.Resolver = r
	}
	var opts []dnsbl.Option
	if obs != nil {
		opts = append(opts, dnsbl.WithObserver(obs))
	}
	opts = append(opts, listStoreOptions(ctx, db)...)
	ck, err := dnsbl.NewChecker(dc, opts...)
	if err != nil {
		return nil, nil, err
	}
	return watch.DNSBL(ck), func() { ck.Close() }, nil
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
