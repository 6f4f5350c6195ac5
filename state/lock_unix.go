//go:build unix

package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// lockPoll is how often a waiting run retries the lock.
const lockPoll = 50 * time.Millisecond

// RunLock serialises runs that write history. It is an flock(2) on a side
// file (PATH.lock): the kernel releases it when the holder exits, however
// it exits (SIGKILL included), so a crashed run never leaves a stale lock.
type RunLock struct {
	f *os.File
}

// LockRuns takes the run lock, waiting up to wait (0: try once). When it
// stays busy the error wraps ErrBusy and names the holder's PID.
func (db *DB) LockRuns(ctx context.Context, wait time.Duration) (*RunLock, error) {
	return lockFile(ctx, db.path+".lock", wait, db.now)
}

func lockFile(ctx context.Context, name string, wait time.Duration, now func() time.Time) (*RunLock, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("run lock %s: %w", name, err)
	}
	if err := flockWait(ctx, f, wait); err != nil {
		holder := readHolder(f)
		f.Close()
		return nil, fmt.Errorf("run lock %s: %w%s", name, err, holder)
	}
	writeHolder(f, now())
	return &RunLock{f: f}, nil
}

func flockWait(ctx context.Context, f *os.File, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		if !time.Now().Before(deadline) {
			return fmt.Errorf("%w (waited %s)", ErrBusy, wait)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// writeHolder records who holds the lock, only to make the busy message
// useful; the lock itself is the flock, not this text.
func writeHolder(f *os.File, at time.Time) {
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "pid %d since %s\n", os.Getpid(), at.UTC().Format(time.RFC3339))
	}
}

func readHolder(f *os.File) string {
	buf := make([]byte, 80)
	n, _ := f.ReadAt(buf, 0)
	s := strings.TrimSpace(string(buf[:n]))
	if s == "" || strings.ContainsAny(s, "\x00\r\n\x1b") {
		return ""
	}
	return ": held by " + s
}

// Unlock releases the lock. It is safe to call more than once.
func (l *RunLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}
