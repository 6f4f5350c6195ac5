package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The thresholds count listings of severity block: a PBL code in ZEN
// warns, URIBL grey and UCEPROTECT level 2 are reported without changing
// the status, an SBL code is critical (catalogue severities).
func TestCheckSeverities(t *testing.T) {
	srv := checkFixture(t)
	srv.HealthyIPv4("zen.spamhaus.org").HealthyIPv4("dnsbl-2.uceprotect.net")
	srv.ListIP("zen.spamhaus.org", "192.0.2.20", "", "127.0.0.10")              // PBL only
	srv.ListIP("zen.spamhaus.org", "192.0.2.21", "", "127.0.0.10", "127.0.0.2") // PBL and SBL
	srv.ListIP("dnsbl-2.uceprotect.net", "192.0.2.22", "", "127.0.0.2")
	srv.ListDomain("multi.uribl.com", "test.uribl.com", "", "127.0.0.14")
	srv.ListDomain("multi.uribl.com", "grey.example", "", "127.0.0.4")
	srv.ListDomain("multi.uribl.com", "black.example", "", "127.0.0.6") // black and grey
	tests := []struct {
		zone, target string
		code         int
		severity     string
	}{
		{"zen.spamhaus.org", "192.0.2.20", exitWarning, "policy"},
		{"zen.spamhaus.org", "192.0.2.21", exitCritical, "block"},
		{"dnsbl-2.uceprotect.net", "192.0.2.22", exitOK, "informational"},
		{"multi.uribl.com", "grey.example", exitOK, "informational"},
		{"multi.uribl.com", "black.example", exitCritical, "block"},
	}
	for _, tt := range tests {
		code, out, errb := checkCLI(t, append(zones(srv, tt.zone), "--format", "json", tt.target)...)
		if code != tt.code {
			t.Errorf("%s on %s: exit %d, want %d; stderr %q\n%s", tt.target, tt.zone, code, tt.code, errb, out)
			continue
		}
		var doc struct {
			Results []struct{ Query, Verdict, Severity string }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range doc.Results {
			if r.Verdict == "listed" {
				found = true
				if r.Severity != tt.severity {
					t.Errorf("%s on %s: severity %q, want %q", r.Query, tt.zone, r.Severity, tt.severity)
				}
			}
		}
		if !found {
			t.Errorf("%s on %s: not listed: %s", tt.target, tt.zone, out)
		}
	}
	_, out, _ := checkCLI(t, append(zones(srv, "zen.spamhaus.org"), "--format", "nagios", "192.0.2.20")...)
	if !strings.HasPrefix(out, "DNSBL WARNING - 192.0.2.20 listed on spamhaus-zen (policy) | listed=0;1;1;0 ") || !strings.Contains(out, " policy=1;;;0 ") {
		t.Errorf("nagios: %q", out)
	}
}
