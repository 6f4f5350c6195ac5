package main

import (
	"context"
	"errors"
	"time"

	"github.com/dnsblaudit/dnsblaudit/state"
)

// openHistory opens the state file when it exists; state.DB answers
// investigate's "when did this listing begin" from the listing intervals
// that check and watch record. Investigate only reads history, so a
// missing file is no history (nil), not an error.
func openHistory(ctx context.Context, path string, now func() time.Time) (*state.DB, error) {
	db, err := state.Open(ctx, path, state.Options{MustExist: true, Now: now})
	if errors.Is(err, state.ErrNotExist) {
		return nil, nil
	}
	return db, err
}
