package main

import (
	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// newWatchChecker builds the dnsbl checker for watch and serve from the
// dnsbl section and --resolver; obs (may be nil) sees every query.
func newWatchChecker(c *cli.Context, dc dnsbl.Config, obs dnsbl.Observer) (watch.Checker, func(), error) {
	if r := c.String("resolver"); r != "" {
		dc.Resolver = r
	}
	var opts []dnsbl.Option
	if obs != nil {
		opts = append(opts, dnsbl.WithObserver(obs))
	}
	ck, err := dnsbl.NewChecker(dc, opts...)
	if err != nil {
		return nil, nil, err
	}
	return watch.DNSBL(ck), func() { ck.Close() }, nil
}
