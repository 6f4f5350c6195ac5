//go:build unix

package state

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRunLockExcludesAndWaits(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	first, err := db.LockRuns(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.LockRuns(ctx, 100*time.Millisecond)
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "held by pid") {
		t.Fatalf("second lock: err = %v, want ErrBusy naming the holder", err)
	}
	got := make(chan error, 1)
	go func() {
		l, err := db.LockRuns(ctx, 5*time.Second)
		if err == nil {
			l.Unlock()
		}
		got <- err
	}()
	time.Sleep(150 * time.Millisecond)
	first.Unlock()
	if err := <-got; err != nil {
		t.Fatalf("waiting lock: %v", err)
	}
}
