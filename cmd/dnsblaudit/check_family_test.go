package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// --zone ZONE:ipv6 on a catalogue zone overrides the catalogue list's kind
// (it used to be matched back to the IPv4 list and check nothing); on
// ZEN, whose catalogue kind is now both, a plain --zone checks IPv6 too.
func TestCheckZoneKindOverridesCatalogue(t *testing.T) {
	srv := checkFixture(t)
	srv.HealthyIPv6("zen.spamhaus.org").ListIP("zen.spamhaus.org", "2001:db8::25", "v6 spam", "127.0.0.2")
	srv.HealthyIPv4("zen.spamhaus.org")
	for _, zone := range []string{"zen.spamhaus.org:ipv6", "zen.spamhaus.org"} {
		code, out, errb := checkCLI(t, append(zones(srv, zone), "--format", "json", "2001:db8::25")...)
		if code != exitCritical {
			t.Fatalf("--zone %s: exit %d, stderr %q\n%s", zone, code, errb, out)
		}
		var doc struct {
			Results []struct{ List, Verdict string }
			Lists   []struct{ Name, Kind string }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Results) != 1 || doc.Results[0].List != "spamhaus-zen" || doc.Results[0].Verdict != "listed" {
			t.Errorf("--zone %s: results %+v", zone, doc.Results)
		}
		wantKind := map[string]string{"zen.spamhaus.org:ipv6": "ipv6", "zen.spamhaus.org": "both"}[zone]
		if len(doc.Lists) != 1 || doc.Lists[0].Kind != wantKind {
			t.Errorf("--zone %s: lists %+v, want kind %s", zone, doc.Lists, wantKind)
		}
	}
}

// An address a list does not answer for is a result, in every format.
func TestCheckUncheckedIsShown(t *testing.T) {
	srv := checkFixture(t)
	srv.HealthyIPv6("v6.test")
	args := zones(srv, "good.test", "v6.test:ipv6")
	_, out, _ := checkCLI(t, append(args, "2001:db8::25")...)
	if !strings.Contains(out, "UNCHECKED  2001:db8::25  on good.test: not queried") || !strings.Contains(out, "1 unchecked") {
		t.Errorf("text output:\n%s", out)
	}
	_, out, _ = checkCLI(t, append(args, "--format", "nagios", "2001:db8::25")...)
	if !strings.Contains(out, "unchecked=1;;;0") || !strings.Contains(out, "1 lookups unchecked") {
		t.Errorf("nagios output:\n%s", out)
	}
	_, out, _ = checkCLI(t, append(args, "--format", "json", "2001:db8::25")...)
	if !strings.Contains(out, `"verdict": "unchecked"`) || !strings.Contains(out, `"unchecked": 1`) {
		t.Errorf("json output:\n%s", out)
	}
}

// A list whose test points time out: the text says what the results say,
// its lookups that failed are "error" (they were said to be "unknown").
func TestCheckHealthErrorTextMatchesResults(t *testing.T) {
	srv := checkFixture(t)
	srv.Fault("slow.test", dnstest.Drop)
	_, out, _ := checkCLI(t, append(zones(srv, "slow.test"), "--retries", "0", "192.0.2.1")...)
	if !strings.Contains(out, "ERROR") || !strings.Contains(out, `its lookups that failed as "error"`) {
		t.Errorf("output:\n%s", out)
	}
	// With a state file the second run remembers the health error: it
	// sends the list nothing and says so.
	args := append(zones(srv, "slow.test"), "--retries", "0", "--state", filepath.Join(t.TempDir(), "s.db"), "192.0.2.1")
	checkCLI(t, args...)
	before := srv.Total()
	_, out, _ = checkCLI(t, args...)
	if n := srv.Total() - before; n != 0 {
		t.Errorf("second run sent %d queries to the list remembered failing", n)
	}
	for _, want := range []string{"ERROR      on slow.test: list not usable in this run (see below)",
		`remembered from an earlier run: not queried until its test points are asked again, its lookups count as "error"`,
		"1 error, 0 bogus, 0 unknown (0 lookups on 0 lists, "} {
		if !strings.Contains(out, want) {
			t.Errorf("second run: %q missing:\n%s", want, out)
		}
	}
}

// An address no selected list covers is said once (the target's error),
// not also by an UNCHECKED line; the summary counts the lookups made,
// which are none.
func TestCheckUncoveredSaidOnce(t *testing.T) {
	srv := checkFixture(t)
	args := zones(srv, "good.test")
	_, out, _ := checkCLI(t, append(args, "2001:db8::1")...)
	if strings.Count(out, "2001:db8::1") != 2 || strings.Contains(out, "UNCHECKED") {
		t.Errorf("the address is said more than once (head and error line):\n%s", out)
	}
	if !strings.Contains(out, "1 unchecked (0 lookups on 0 lists, ") {
		t.Errorf("summary:\n%s", out)
	}
	_, out, _ = checkCLI(t, append(args, "--format", "json", "192.0.2.3", "2001:db8::1")...)
	if !strings.Contains(out, `"unchecked": 1`) || !strings.Contains(out, `"lookups": 1`) {
		t.Errorf("json status:\n%s", out)
	}
}
