//go:build unix

package watch

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/state"
)

// Environment of the child process TestWatchChild runs as.
const (
	envChild     = "DNSBLAUDIT_TEST_WATCH_CHILD"
	envChildDNS  = "DNSBLAUDIT_TEST_WATCH_DNS"
	envChildPath = "DNSBLAUDIT_TEST_WATCH_STATE"
)

// killTargets is how many addresses each run checks (fewer under -race,
// which makes each commit some fifty times slower).
var killTargets = map[bool]int{false: 3000, true: 300}[raceEnabled]

func manyTargets(n int) []string {
	a := netip.MustParseAddr("100.64.0.0") // shared address space: data only, never contacted
	out := make([]string, n)
	for i := range out {
		a = a.Next()
		out[i] = a.String()
	}
	return out
}

// killConfig rewrites every track in every run (the streak only stops
// growing at confirm_runs), so each commit is a large transaction.
var killConfig = Config{ConfirmRuns: 100, LockWait: 10 * time.Second}

// TestWatchChild is not a test: it is the watch process that
// TestKillMidRun starts and kills. It prints "checked" once the DNS work
// is done and the commit is about to begin.
func TestWatchChild(t *testing.T) {
	if os.Getenv(envChild) == "" {
		t.Skip("helper process for TestKillMidRun")
	}
	db, err := state.Open(context.Background(), os.Getenv(envChildPath), state.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	inner := newDNSBLChecker(t, os.Getenv(envChildDNS))
	ck := CheckerFunc(func(ctx context.Context, targets []string) (Outcome, error) {
		out, err := inner.Check(ctx, targets)
		fmt.Println("checked")
		return out, err
	})
	if _, err := NewRunner(killConfig, ck, db).Run(context.Background(), manyTargets(killTargets)); err != nil {
		fmt.Println("run:", err)
		os.Exit(3)
	}
	fmt.Println("done")
	os.Exit(0)
}

// TestKillMidRun SIGKILLs watch processes (3000 targets, slow DNS) at
// random moments, half of them inside the commit, and checks after each
// kill that the database opens cleanly and holds either exactly the runs
// before or exactly one more complete run: never a partial one.
func TestKillMidRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	listed := manyTargets(killTargets)[:40]
	dns := slowList(t, 2*time.Millisecond, listed...)
	path := t.TempDir() + "/state.db"
	ctx := context.Background()

	complete := func() { // an uninterrupted run, as the next cron run would be
		db := openState(t, path, nil)
		if _, err := NewRunner(killConfig, newDNSBLChecker(t, dns.Addr), db).Run(ctx, manyTargets(killTargets)); err != nil {
			t.Fatalf("complete run: %v", err)
		}
		db.Close()
	}
	complete()
	window := commitWindow(t, path, dns.Addr)
	t.Logf("a child's commit takes about %s", window)
	rng := rand.New(rand.NewPCG(1, 2))
	committed := 0
	for i := range 10 {
		before := historyOf(t, path)
		inCommit := i%2 == 0
		status := killChild(t, path, dns.Addr, inCommit, window, rng)
		after := historyOf(t, path)
		switch after.runs {
		case before.runs:
			if after != before {
				t.Fatalf("kill %d (%s): history changed without a run: %+v -> %+v", i, status, before, after)
			}
		case before.runs + 1:
			committed++
		default:
			t.Fatalf("kill %d (%s): runs %d -> %d", i, status, before.runs, after.runs)
		}
		if err := after.consistent(killTargets, len(listed)); err != "" {
			t.Fatalf("kill %d (%s): %s: %+v", i, status, err, after)
		}
		t.Logf("kill %d: %s; runs %d -> %d", i, status, before.runs, after.runs)
		complete()
	}
	t.Logf("%d of 10 killed runs had committed before the kill", committed)
}

// startChild starts the watch child; its stdout lines arrive on lines.
func startChild(t *testing.T, path, dnsAddr string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"=1", envChildDNS+"="+dnsAddr, envChildPath+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 4)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return cmd, lines
}

// commitWindow runs one child to the end and measures the time from the
// end of its queries to the end of its run: the commit, mostly.
func commitWindow(t *testing.T, path, dnsAddr string) time.Duration {
	t.Helper()
	cmd, lines := startChild(t, path, dnsAddr)
	var checked time.Time
	for l := range lines {
		switch l {
		case "checked":
			checked = time.Now()
		case "done":
		default:
			t.Fatalf("child said %q", l)
		}
	}
	window := time.Since(checked)
	if err := cmd.Wait(); err != nil || checked.IsZero() {
		t.Fatalf("child run: %v", err)
	}
	return window
}

// killChild runs the child and SIGKILLs it: at a random moment of the
// commit window after it reports the DNS work done, or at a random moment
// of the queries.
func killChild(t *testing.T, path, dnsAddr string, inCommit bool, window time.Duration, rng *rand.Rand) string {
	t.Helper()
	cmd, lines := startChild(t, path, dnsAddr)
	var status string
	if inCommit {
		if l := <-lines; l != "checked" {
			t.Fatalf("child said %q", l)
		}
		d := time.Duration(rng.Int64N(int64(window)))
		time.Sleep(d)
		status = fmt.Sprintf("killed %s after the queries", d)
	} else {
		d := time.Duration(50+rng.IntN(250)) * time.Millisecond
		time.Sleep(d)
		status = fmt.Sprintf("killed %s after start", d)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	var rest []string
	for l := range lines {
		rest = append(rest, l)
	}
	if len(rest) > 0 {
		status += " (child had printed " + strings.Join(rest, ", ") + ")"
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		status += fmt.Sprintf(" (exited before the kill: %v)", err)
	}
	return status
}

// historySummary is what must be all-or-nothing about a run.
type historySummary struct {
	runs, tracks, openIntervals int
	minStreak, maxStreak        int
	minSeen, maxSeen            int
	// indefinite is how many runs had a verdict that could not tell (a
	// query that timed out on a loaded machine): such a run leaves that
	// target's streak where it was.
	indefinite int
}

// consistent: every track and open interval was written by every run (the
// streak and seen_runs grow by one per definite run, below confirm_runs),
// so a partly committed run would show as a spread of streaks.
func (h historySummary) consistent(targets, listed int) string {
	switch {
	case h.tracks != targets+1:
		return fmt.Sprintf("%d tracks, want %d", h.tracks, targets+1)
	case h.maxStreak != h.runs:
		return "the latest run is not in every track"
	case h.minStreak < h.runs-h.indefinite:
		return "a track misses a run"
	case h.indefinite == 0 && (h.openIntervals != listed || h.minSeen != h.runs || h.maxSeen != h.runs):
		return "an interval misses a run"
	}
	return ""
}

// historyOf opens the state file as the next run would (integrity check
// included) and summarises it.
func historyOf(t *testing.T, path string) historySummary {
	t.Helper()
	db, err := state.Open(context.Background(), path, state.Options{MustExist: true})
	if err != nil {
		t.Fatalf("state does not open after the kill: %v", err)
	}
	defer db.Close()
	var h historySummary
	q := db.SQL().QueryRow(`SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM tracks),
		(SELECT count(*) FROM intervals WHERE cleared_at IS NULL),
		(SELECT min(streak) FROM tracks WHERE subject = 'listing'), (SELECT max(streak) FROM tracks WHERE subject = 'listing'),
		(SELECT min(seen_runs) FROM intervals), (SELECT max(seen_runs) FROM intervals),
		(SELECT count(*) FROM runs WHERE refused + errors + bogus + unknown > 0)`)
	if err := q.Scan(&h.runs, &h.tracks, &h.openIntervals, &h.minStreak, &h.maxStreak, &h.minSeen, &h.maxSeen,
		&h.indefinite); err != nil {
		t.Fatalf("reading history: %v", err)
	}
	return h
}
