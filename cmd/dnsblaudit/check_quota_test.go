package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
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

// The first Nagios check of one IP with the catalogue's default lists
// asks the test points of the IP lists only: a domain list (DBL, URIBL,
// SURBL...) is not queried for an IP, so its test points are not asked
// and it is not reported. The fake server makes every default IP list
// healthy (its positive test point listed); domain names stay NXDOMAIN,
// so a domain list, were its test points asked, would show as unusable.
func TestCheckCatalogueNagiosRunQueries(t *testing.T) {
	srv, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ipLists, domainLists := 0, 0
	var domainTestPoints []string
	for _, l := range dnsbl.DefaultCatalogue().Lists() {
		if l.Disabled || l.Dead != "" {
			continue
		}
		if l.Kind == dnsbl.KindDomain {
			domainLists++
			domainTestPoints = append(domainTestPoints, cmp.Or(l.TestListed, "test")+"."+l.Zone)
			continue
		}
		ipLists++
		if l.Kind != dnsbl.KindIPv6 {
			tp := cmp.Or(l.TestListed, "127.0.0.2")
			srv.ListIP(l.Zone, tp, "test point", "127.0.0.2")
		}
		if l.Kind != dnsbl.KindIPv4 {
			srv.HealthyIPv6(l.Zone)
		}
	}
	if domainLists == 0 {
		t.Fatal("the catalogue has no default domain list: the test shows nothing")
	}
	args := []string{"check", "--no-progress", "--resolver", srv.Addr, "--format", "json", "--retries", "0",
		"--state", filepath.Join(t.TempDir(), "state.db"), "192.0.2.1"}
	var spent []int64
	for range 2 {
		before := srv.Total()
		_, out, errb := checkCLI(t, args...)
		spent = append(spent, srv.Total()-before)
		var rep dnsbl.Report
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v: %s %s", err, out, errb)
		}
		for _, h := range rep.Health {
			if h.Status != dnsbl.Healthy {
				t.Errorf("list %s reported %s (%s) in an IP-only run", h.List, h.Status, h.Reason)
			}
		}
	}
	t.Logf("%d default IP lists, %d default domain lists; queries per run: %v", ipLists, domainLists, spent)
	for _, name := range domainTestPoints {
		if n := srv.Queries(name); n != 0 {
			t.Errorf("%s asked %d times for an IP-only check", name, n)
		}
	}
	// The repeated run sends one A query per IP list (check_rbl's count).
	if spent[1] != int64(ipLists) {
		t.Errorf("repeated run sent %d queries, want %d", spent[1], ipLists)
	}
}
