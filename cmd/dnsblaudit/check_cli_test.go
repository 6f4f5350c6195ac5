package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// checkFixture serves four lists on a fake DNS server:
//
//	good.test    healthy; 192.0.2.1 listed twice (127.0.0.2 and .4) with a TXT
//	             carrying an escape sequence; 192.0.2.2 times out
//	world.test   lists everything (fails RFC 5782 §5)
//	refuse.test  answers 127.255.255.254 to everything
//	dbl.test     healthy domain list; example.org listed
func checkFixture(t *testing.T) *dnstest.Server {
	t.Helper()
	s, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.HealthyIPv4("good.test").ListIP("good.test", "192.0.2.1", "spam seen\x1b[2J see https://good.test/q?192.0.2.1", "127.0.0.2", "127.0.0.4")
	s.Fault(dnstest.ReverseIP("192.0.2.2", false)+".good.test", dnstest.Drop)
	s.Wildcard("world.test", "127.0.0.2")
	s.Wildcard("refuse.test", "127.255.255.254")
	s.HealthyDomain("dbl.test").ListDomain("dbl.test", "example.org", "bad domain", "127.0.1.2")
	fixed := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	old := checkClock
	checkClock = func() time.Time { return fixed }
	t.Cleanup(func() { checkClock = old })
	return s
}

// checkCLI runs the app in process and returns its exit code and output.
func checkCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"dnsblaudit"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func zones(srv *dnstest.Server, z ...string) []string {
	args := []string{"check", "--no-progress", "--resolver", srv.Addr, "--timeout", "150ms"}
	for _, zone := range z {
		args = append(args, "--zone", zone)
	}
	return args
}

func TestCheckTextListed(t *testing.T) {
	srv := checkFixture(t)
	code, out, errb := checkCLI(t, append(zones(srv, "good.test", "world.test", "refuse.test"), "192.0.2.1", "192.0.2.3")...)
	if code != exitCritical {
		t.Fatalf("exit %d, want 2; stderr %q\n%s", code, errb, out)
	}
	want := []string{
		"192.0.2.1\n  LISTED     good.test  127.0.0.2, 127.0.0.4  listed (code 127.0.0.2, 127.0.0.4)\n",
		"TXT: spam seen\uFFFD[2J see https://good.test/q?192.0.2.1\n",
		"  REFUSED    on refuse.test: list not usable in this run (see below)\n",
		"  UNKNOWN    on world.test: list not usable in this run (see below)\n",
		"192.0.2.3\n",
		"  not listed on 1 list\n",
		"world.test (world.test) unhealthy: lists the RFC 5782 section 5 test point 127.0.0.1",
		"refuse.test (refuse.test) refused: test point 127.0.0.2 answered 127.255.255.254",
		"CRITICAL: 1 listed, 1 not listed, 2 refused, 0 error, 0 bogus, 2 unknown (6 lookups on 3 lists, 0.0s)\n",
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.ContainsRune(out, 0x1b) {
		t.Errorf("raw escape in output")
	}
	// Listed comes first in its target's block.
	block := out[:strings.Index(out, "192.0.2.3")]
	if strings.Index(block, "LISTED") > strings.Index(block, "REFUSED") {
		t.Errorf("listing not first:\n%s", block)
	}
}

func TestCheckJSONSchema(t *testing.T) {
	srv := checkFixture(t)
	code, out, errb := checkCLI(t, append(zones(srv, "good.test", "dbl.test:domain", "dnsbl.sorbs.net"), "--format", "json", "192.0.2.1", "192.0.2.2", "example.org")...)
	if code != exitCritical {
		t.Fatalf("exit %d; stderr %q", code, errb)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"schema", "started", "finished", "status", "targets", "results", "health", "lists", "warnings"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("no %q in the document", k)
		}
	}
	if doc["schema"] != checkSchema {
		t.Errorf("schema %v", doc["schema"])
	}
	verdicts := map[string]string{}
	for _, r := range doc["results"].([]any) {
		m := r.(map[string]any)
		for _, k := range []string{"target", "query", "list", "zone", "verdict", "codes", "meanings", "reason", "txt", "checked"} {
			if _, ok := m[k]; !ok {
				t.Errorf("result lacks %q: %v", k, m)
			}
		}
		verdicts[m["query"].(string)+" "+m["list"].(string)] = m["verdict"].(string)
	}
	want := map[string]string{
		"192.0.2.1 good.test":  "listed",
		"192.0.2.2 good.test":  "error",
		"example.org dbl.test": "listed",
	}
	for k, v := range want {
		if verdicts[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, verdicts[k], v, verdicts)
		}
	}
	if w := doc["warnings"].([]any); len(w) != 1 || !strings.Contains(w[0].(string), "dead since 2024-06-05") {
		t.Errorf("warnings = %v", w)
	}
	// The global position of --format works too.
	code2, out2, _ := checkCLI(t, append([]string{"--format", "json"}, append(zones(srv, "good.test"), "192.0.2.3")...)...)
	if code2 != exitOK || !strings.HasPrefix(out2, "{\n  \"schema\"") {
		t.Errorf("global --format: exit %d, %q", code2, out2)
	}
}

func TestCheckNagios(t *testing.T) {
	srv := checkFixture(t)
	tests := []struct {
		args []string
		code int
		head string
	}{
		{[]string{"192.0.2.3"}, exitOK, "DNSBL OK - 1 lookup, not listed | listed=0;1;1;0 "},
		{[]string{"192.0.2.1"}, exitCritical, "DNSBL CRITICAL - 192.0.2.1 listed on good.test | listed=1;1;1;0 "},
		{[]string{"-w", "1", "-c", "2", "192.0.2.1"}, exitWarning, "DNSBL WARNING - 192.0.2.1 listed on good.test | listed=1;1;2;0 "},
		{[]string{"192.0.2.2"}, exitUnknown, "DNSBL UNKNOWN - 1 lookups without a verdict (0 refused, 1 error, 0 bogus, 0 unknown) |"},
		{[]string{"2001:db8::1"}, exitUnknown, "DNSBL UNKNOWN - 2001:db8::1: no selected list covers 2001:db8::1: select a list of kind ipv6 or both (--zone ZONE:ipv6) |"},
	}
	for _, tt := range tests {
		code, out, errb := checkCLI(t, append(append(zones(srv, "good.test"), "--format", "nagios"), tt.args...)...)
		if code != tt.code || !strings.HasPrefix(out, tt.head) || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: exit %d %q (stderr %q), want %d %q", tt.args, code, out, errb, tt.code, tt.head)
		}
		if !strings.Contains(out, " time=0.000s;;;0\n") {
			t.Errorf("perfdata: %q", out)
		}
	}
	// An address no list covers: said once, no query counted, the
	// unchecked result kept in the perfdata.
	_, out, _ := checkCLI(t, append(append(zones(srv, "good.test"), "--format", "nagios"), "2001:db8::1")...)
	if !strings.Contains(out, " unchecked=1;;;0 ") || !strings.Contains(out, " lookups=0;;;0 ") || strings.Count(out, "no selected list covers") != 1 {
		t.Errorf("uncovered address: %q", out)
	}
}

func TestCheckBadInput(t *testing.T) {
	srv := checkFixture(t)
	dir := t.TempDir()
	badRule := filepath.Join(dir, "rule.yaml")
	os.WriteFile(badRule, []byte("dnsbl:\n  lists:\n    - name: mine\n      zone: mine.test\n      match: \"127.0.0.2\"\n"), 0o600)
	badTimeout := filepath.Join(dir, "timeout.yaml")
	os.WriteFile(badTimeout, []byte("dnsbl:\n  timeout: soon\n"), 0o600)
	tests := []struct {
		args []string
		want string
	}{
		{append(zones(srv, "good.test"), "192.0.2.999"), `bad target "192.0.2.999"`},
		{append(zones(srv, "good.test"), "10.0.0.0/8"), `"10.0.0.0/8": wider than /20`},
		{[]string{"check", "--list", "no-such-list", "192.0.2.1"}, `list "no-such-list"`},
		{append(zones(srv, "good.test:ipv5"), "192.0.2.1"), `kind "ipv5"`},
		{append(zones(srv, "bad zone"), "192.0.2.1"), `--zone "bad zone"`},
		{[]string{"--config", badRule, "check", "192.0.2.1"}, "dnsbl.lists[0] (mine).match"},
		{[]string{"--config", badTimeout, "check", "192.0.2.1"}, "timeout.yaml"},
		{[]string{"check", "--resolver", "not-an-ip", "192.0.2.1"}, `resolver "not-an-ip"`},
		{[]string{"check", "-w", "3", "-c", "2", "192.0.2.1"}, "-w 3 is above -c 2"},
		{zones(srv, "good.test"), "no targets"},
		{append(zones(srv, "good.test"), "--format", "xml", "192.0.2.1"), `--format "xml"`},
	}
	for _, tt := range tests {
		code, out, errb := checkCLI(t, tt.args...)
		if code != exitUnknown || !strings.Contains(errb, tt.want) || strings.Count(errb, "\n") != 1 || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 3 and one line with %q", tt.args, code, errb, out, tt.want)
		}
	}
}

func TestCheckDQSKeyNeverPrinted(t *testing.T) {
	srv := checkFixture(t)
	const key = "k3yk3yk3ysecret"
	zone := key + ".zen.dq.test"
	srv.HealthyIPv4(zone).ListIP(zone, "192.0.2.1", "listed in "+zone, "127.0.0.2")
	srv.Fault(dnstest.ReverseIP("192.0.2.2", false)+"."+zone, dnstest.ServFail)
	cfg := filepath.Join(t.TempDir(), "dqs.yaml")
	os.WriteFile(cfg, []byte("targets: [192.0.2.1, 192.0.2.2]\ndnsbl:\n  no_catalogue: true\n  lists:\n    - name: dqs\n      zone: \"{key}.zen.dq.test\"\n      key_env: TEST_DQS_KEY\n"), 0o600)
	t.Setenv("TEST_DQS_KEY", key)
	for _, f := range []string{"text", "json", "nagios"} {
		code, out, errb := checkCLI(t, "--config", cfg, "check", "--resolver", srv.Addr, "--format", f)
		if code != exitCritical {
			t.Errorf("%s: exit %d, stderr %q", f, code, errb)
		}
		if strings.Contains(out+errb, key) {
			t.Errorf("%s: key printed:\n%s%s", f, out, errb)
		}
	}
	code, out, _ := checkCLI(t, "--config", cfg, "check", "--resolver", srv.Addr)
	if code != exitCritical || !strings.Contains(out, "TXT: listed in REDACTED.zen.dq.test") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestCheckHostnameAndConfigTargets(t *testing.T) {
	srv := checkFixture(t)
	srv.A("mail.example.org", 0, "192.0.2.3")
	cfg := filepath.Join(t.TempDir(), "t.yaml")
	os.WriteFile(cfg, []byte("targets: [mail.example.org]\n"), 0o600)
	code, out, errb := checkCLI(t, append([]string{"--config", cfg}, zones(srv, "good.test", "dbl.test:domain")...)...)
	if code != exitCritical {
		t.Fatalf("exit %d, stderr %q\n%s", code, errb, out)
	}
	for _, w := range []string{"mail.example.org (192.0.2.3)\n", "  LISTED     example.org  dbl.test  127.0.1.2", "  not listed on 2 lists\n"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

func TestCheckShowLists(t *testing.T) {
	code, out, _ := checkCLI(t, "check", "--show-lists")
	if code != exitOK || !strings.Contains(out, "spamhaus-zen") || !strings.Contains(out, "dead since 2024-06-05") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
