//go:build unix

package main

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/state"
)

const envCLIChild = "DNSBLAUDIT_TEST_CLI_ARGS"

// TestCLIChild is not a test: it is the dnsblaudit process (watch
// --every, serve) that the signal tests start and stop; its arguments come
// in $DNSBLAUDIT_TEST_CLI_ARGS, separated by US (0x1f).
func TestCLIChild(t *testing.T) {
	args := os.Getenv(envCLIChild)
	if args == "" {
		t.Skip("helper process for TestWatchEveryStopsOnSIGTERM and TestServeCommand")
	}
	os.Exit(run(append([]string{"dnsblaudit"}, strings.Split(args, "\x1f")...), os.Stdout, os.Stderr))
}

// TestWatchEveryStopsOnSIGTERM: `watch --every` keeps running until
// SIGTERM, then exits 0 promptly, leaving its runs recorded and the run
// lock free.
func TestWatchEveryStopsOnSIGTERM(t *testing.T) {
	cfg, db := watchFixture(t)
	args := []string{"--config", cfg, "--state", db, "watch", "--every", "1s", "--summary"}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCLIChild+"="+strings.Join(args, "\x1f"))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for runsIn(t, db) < 2 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no two runs within 20s; output:\n%s", out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v; output:\n%s", err, out.String())
		}
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still running 5s after SIGTERM")
	}
	sdb, err := state.Open(context.Background(), db, state.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	lock, err := sdb.LockRuns(context.Background(), time.Nanosecond)
	if err != nil {
		t.Fatalf("run lock still held after exit: %v", err)
	}
	lock.Unlock()
	if !strings.Contains(out.String(), "listed on bl") {
		t.Errorf("output lacks the listing:\n%s", out.String())
	}
}

func runsIn(t *testing.T, path string) int {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	db, err := state.Open(context.Background(), path, state.Options{MustExist: true})
	if err != nil {
		return 0 // being created by the child
	}
	defer db.Close()
	runs, _ := db.Runs(context.Background(), 0)
	return len(runs)
}
