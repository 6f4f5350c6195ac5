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

// The exec hook is the operator's script, but its output is quoted in our
// error messages: a hook that prints its environment (sh -x, env for
// debugging) must not carry the DQS key or the SMTP password into them.
func TestWatchExecHookDoesNotInheritSecrets(t *testing.T) {
	const key, password = "hookdqskey0000secret", "hook-smtp-pw-secret"
	s, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	zone := key + ".dq.test"
	s.HealthyIPv4(zone).ListIP(zone, "192.0.2.1", "Listed for spam", "127.0.0.2")
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	cfg := "targets: [192.0.2.1]\n" +
		"dnsbl:\n  resolver: " + s.Addr + "\n  no_catalogue: true\n" +
		"  lists:\n    - {name: dqs, zone: '{key}.dq.test', key_env: TEST_HOOK_DQS_KEY}\n" +
		"notify:\n  smtp:\n    host: 127.0.0.1\n    username: u\n    password_env: TEST_HOOK_SMTP_PW\n" +
		"watch:\n  exec: [/bin/sh, -c, 'echo \"key=$TEST_HOOK_DQS_KEY pw=$TEST_HOOK_SMTP_PW spamhaus=$DNSBLAUDIT_SPAMHAUS_DQS_KEY\"; exit 1']\n"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEST_HOOK_DQS_KEY", key)
	t.Setenv("TEST_HOOK_SMTP_PW", password)
	t.Setenv("DNSBLAUDIT_SPAMHAUS_DQS_KEY", key+"2")
	code, out, errb := checkCLI(t, "--config", cfgPath, "--state", filepath.Join(dir, "state.db"), "watch", "--confirm-runs", "1")
	if code != exitUnknown { // the alert failed
		t.Errorf("exit %d, want %d; stderr %q", code, exitUnknown, errb)
	}
	if !strings.Contains(errb, "alert not delivered") || !strings.Contains(errb, "key= pw= spamhaus=") {
		t.Errorf("the hook's failure and output are not reported:\n%s%s", out, errb)
	}
	if strings.Contains(out+errb, key) || strings.Contains(out+errb, password) {
		t.Errorf("a secret reached the output:\n%s%s", out, errb)
	}
}

// Spamhaus's set-up pages write DQS zones with the key in them; a zone
// configured that way is redacted like one with {key}.
func TestCheckDQSKeyWrittenInZoneNeverPrinted(t *testing.T) {
	srv := checkFixture(t)
	const key = "LiteralK3yInZone"
	zone := strings.ToLower(key) + ".zen.dq.spamhaus.net"
	srv.HealthyIPv4(zone).ListIP(zone, "192.0.2.1", "listed in "+zone, "127.0.0.2")
	srv.Fault(dnstest.ReverseIP("192.0.2.2", false)+"."+zone, dnstest.ServFail)
	cfg := filepath.Join(t.TempDir(), "dqs.yaml")
	os.WriteFile(cfg, []byte("targets: [192.0.2.1, 192.0.2.2]\ndnsbl:\n  no_catalogue: true\n  lists:\n    - name: mydqs\n      zone: "+key+".zen.dq.spamhaus.net\n"), 0o600)
	for _, f := range []string{"text", "json", "nagios"} {
		code, out, errb := checkCLI(t, "--log-level", "debug", "--config", cfg, "check", "--resolver", srv.Addr, "--format", f)
		if code != exitCritical {
			t.Errorf("%s: exit %d, stderr %q", f, code, errb)
		}
		if !strings.Contains(out+errb, "REDACTED.zen.dq.spamhaus.net") {
			t.Errorf("%s: the zone is not shown redacted:\n%s%s", f, out, errb)
		}
		if strings.Contains(strings.ToLower(out+errb), strings.ToLower(key)) {
			t.Errorf("%s: key printed:\n%s%s", f, out, errb)
		}
	}
}
