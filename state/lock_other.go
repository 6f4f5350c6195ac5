//go:build !unix

package state

import (
	"context"
	"fmt"
	"time"
)

// RunLock is not available on this platform.
type RunLock struct{}

// LockRuns reports that run locking needs a Unix system.
func (db *DB) LockRuns(context.Context, time.Duration) (*RunLock, error) {
	return nil, fmt.Errorf("run lock: %w: flock is only supported on Unix", ErrBusy)
}

// Unlock does nothing.
func (l *RunLock) Unlock() error { return nil }
