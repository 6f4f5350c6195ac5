package main

import (
	"context"
	"log/slog"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// checkStateOptions keep list health and daily query counts in the state
// file when one is named (--state, DNSBLAUDIT_STATE or the config's
// state), so that a repeated Nagios check spends only its own lookups. A
// check never creates the default state file on its own, and a state file
// it cannot open costs the cache, not the check.
func checkStateOptions(ctx context.Context, c *cli.Context, cfgState string) ([]dnsbl.Option, func()) {
	path := c.String(flagState)
	if path == "" {
		path = cfgState
	}
	if path == "" {
		return nil, func() {}
	}
	db, err := state.Open(ctx, path, state.Options{})
	if err != nil {
		slog.Warn("state file not opened: list health and daily query counts kept in this process only", "err", err)
		return nil, func() {}
	}
	return listStoreOptions(ctx, db), func() { db.Close() }
}
