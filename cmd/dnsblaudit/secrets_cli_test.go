package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// A DQS key is a DNS label, and DNS names are case-insensitive: the zone
// is queried in lower case and servers echo the name in any case, so a key
// pasted with capitals must be redacted whatever its case in the answer.
func TestCheckDQSKeyMixedCaseNeverPrinted(t *testing.T) {
	srv := checkFixture(t)
	const key = "K3yK3yK3ySecretMixed"
	zone := strings.ToLower(key) + ".zen.dq.test"
	srv.HealthyIPv4(zone).ListIP(zone, "192.0.2.1", "listed in "+strings.ToUpper(zone), "127.0.0.2")
	srv.Fault(dnstest.ReverseIP("192.0.2.2", false)+"."+zone, dnstest.ServFail)
	cfg := filepath.Join(t.TempDir(), "dqs.yaml")
	os.WriteFile(cfg, []byte("targets: [192.0.2.1, 192.0.2.2]\ndnsbl:\n  no_catalogue: true\n  lists:\n    - name: dqs\n      zone: \"{key}.zen.dq.test\"\n      key_env: TEST_DQS_KEY\n"), 0o600)
	t.Setenv("TEST_DQS_KEY", key)
	for _, f := range []string{"text", "json", "nagios"} {
		code, out, errb := checkCLI(t, "--log-level", "debug", "--config", cfg, "check", "--resolver", srv.Addr, "--format", f)
		if code != exitCritical {
			t.Errorf("%s: exit %d, stderr %q", f, code, errb)
		}
		if !strings.Contains(errb, "zen.dq.test") {
			t.Errorf("%s: the debug log does not name the DQS queries", f)
		}
		if strings.Contains(strings.ToLower(out+errb), strings.ToLower(key)) {
			t.Errorf("%s: key printed:\n%s%s", f, out, errb)
		}
	}
}
