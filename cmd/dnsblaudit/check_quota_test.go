package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// A repeated Nagios check with a state file spends only its own lookups:
// the lists' health (RFC 5782 test points and canary) is remembered for
// health_ttl (1h) in the state file. One clean IP on ten lists: the first
// run asks 10 A + 30 test points, the next ones 10 (check_rbl sends 10).
func TestCheckRepeatedNagiosRunQueries(t *testing.T) {
	srv, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	// --retries 0: one transmission per query, waiting the whole timeout.
	// A retransmission after a round-trip estimate (tens of ms) is a
	// second query on a loaded machine and made the count flaky.
	args := []string{"check", "--no-progress", "--resolver", srv.Addr, "--format", "nagios", "--retries", "0",
		"--state", filepath.Join(t.TempDir(), "state.db")}
	for i := range 10 {
		zone := fmt.Sprintf("l%d.test", i)
		srv.HealthyIPv4(zone)
		args = append(args, "--zone", zone)
	}
	args = append(args, "192.0.2.1")
	var spent []int64
	for range 3 {
		before := srv.Total()
		code, out, errb := checkCLI(t, args...)
		if code != exitOK {
			t.Fatalf("exit %d: %s %s", code, out, errb)
		}
		spent = append(spent, srv.Total()-before)
	}
	t.Logf("queries per run: %v", spent)
	if spent[0] != 40 || spent[1] != 10 || spent[2] != 10 {
		t.Errorf("queries per run %v, want [40 10 10]", spent)
	}
	// Without a state file every process asks the test points again.
	noState := append([]string{}, args...)
	for i, a := range noState {
		if a == "--state" {
			noState = append(noState[:i], noState[i+2:]...)
			break
		}
	}
	before := srv.Total()
	if code, out, _ := checkCLI(t, noState...); code != exitOK || !strings.HasPrefix(out, "DNSBL OK") {
		t.Fatalf("without state: %d %s", code, out)
	}
	if n := srv.Total() - before; n != 40 {
		t.Errorf("without a state file: %d queries, want 40", n)
	}
}
