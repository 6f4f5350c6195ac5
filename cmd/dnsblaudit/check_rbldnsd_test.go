package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/bench/workload"
	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// `dnsblaudit check` end to end against a real rbldnsd serving
// rbldnsdtest's fixture lists: the command line, the configuration file,
// the output formats and the exit codes, in process through run().

// fixtureConfig defines the fixture lists with their documented codes, as
// a user's configuration would; no catalogue list is queried.
const fixtureConfig = `dnsbl:
  no_catalogue: true
  lists:
    - name: normal
      zone: normal.lists.test
      delist_url: https://normal.lists.test/delist
      codes:
        - {code: 127.0.0.2, meaning: spam source}
        - {code: 127.0.0.3, meaning: "spam source, verified"}
        - {code: 127.0.0.4, meaning: exploited host}
        - {code: 127.0.0.10, meaning: dynamic range (policy)}
    - {name: world, zone: world.lists.test}
    - {name: refuse, zone: refuse.lists.test, refuses_public_resolvers: true}
    - name: v6
      zone: v6.lists.test
      kind: ipv6
      codes: [{code: 127.0.0.3, meaning: abused range}]
    - name: dbl
      zone: dbl.lists.test
      kind: domain
      codes:
        - {code: 127.0.1.2, meaning: low reputation}
        - {code: 127.0.1.4, meaning: phishing}
`

var fixtureTargets = []string{
	"192.0.2.10", "192.0.2.11", "198.51.100.7", "192.0.2.99",
	"2001:db8:1::25", "2001:db8:2::1",
	"spam.example", "login.phish.example", "clean.example",
}

func writeFixtureConfig(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "dnsblaudit.yaml")
	if err := os.WriteFile(p, []byte(fixtureConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkDoc is the part of the JSON document (schema dnsblaudit.check/v1)
// these tests read.
type checkDoc struct {
	Schema string `json:"schema"`
	Status struct {
		Code      int `json:"code"`
		Listed    int `json:"listed"`
		NotListed int `json:"not_listed"`
		Refused   int `json:"refused"`
		Error     int `json:"error"`
		Bogus     int `json:"bogus"`
		Unknown   int `json:"unknown"`
	} `json:"status"`
	Results []map[string]json.RawMessage `json:"results"`
	Health  []struct {
		List, Status, Reason string
	} `json:"health"`
}

func TestCheckRbldnsdJSON(t *testing.T) {
	srv := rbldnsdtest.StartFixtures(t)
	args := append([]string{"--config", writeFixtureConfig(t), "--format", "json", "check", "--resolver", srv.Addr(), "--no-progress"}, fixtureTargets...)
	code, out, errOut := checkCLI(t, args...)
	if code != exitCritical {
		t.Errorf("exit %d, want %d (listed); stderr: %s", code, exitCritical, errOut)
	}
	var doc checkDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	st := doc.Status
	if doc.Schema != "dnsblaudit.check/v1" || st.Code != exitCritical {
		t.Errorf("schema %q, status %+v", doc.Schema, st)
	}
	if st.Listed != 7 || st.NotListed != 3 || st.Refused != 4 || st.Unknown != 4 || st.Error != 0 || st.Bogus != 0 {
		t.Errorf("status counts %+v, want 7 listed, 3 not listed, 4 refused, 4 unknown", st)
	}
	byKey := map[string]map[string]json.RawMessage{}
	for i, r := range doc.Results {
		checkResultShape(t, i, r)
		byKey[str(r["query"])+" "+str(r["list"])] = r
	}
	checkFixtureVerdicts(t, byKey)
	health := map[string]string{}
	for _, h := range doc.Health {
		health[h.List] = h.Status
	}
	wantHealth := map[string]string{"normal": "healthy", "v6": "healthy", "dbl": "healthy", "world": "unhealthy", "refuse": "refused"}
	for l, w := range wantHealth {
		if health[l] != w {
			t.Errorf("health of %s: %q, want %q", l, health[l], w)
		}
	}
}

// checkResultShape checks what the issue promises every result carries:
// target, zone, exactly one known verdict, codes, reason and txt (arrays,
// never null).
func checkResultShape(t *testing.T, i int, r map[string]json.RawMessage) {
	t.Helper()
	for _, k := range []string{"target", "zone", "verdict", "codes", "reason", "txt"} {
		if _, ok := r[k]; !ok {
			t.Errorf("result %d lacks %q: %v", i, k, r)
		}
	}
	verdicts := []string{"listed", "not_listed", "refused", "error", "bogus", "unknown", "unchecked"}
	if v := str(r["verdict"]); !slices.Contains(verdicts, v) {
		t.Errorf("result %d: verdict %q", i, v)
	}
	for _, k := range []string{"codes", "txt"} {
		if !bytes.HasPrefix(bytes.TrimSpace(r[k]), []byte("[")) {
			t.Errorf("result %d: %s is %s, want an array", i, k, r[k])
		}
	}
}

// checkFixtureVerdicts compares the results with the fixture data.
func checkFixtureVerdicts(t *testing.T, got map[string]map[string]json.RawMessage) {
	t.Helper()
	type want struct {
		verdict  string
		codes    []string
		meanings []string
		txt      []string
		reason   string
	}
	wants := map[string]want{
		"192.0.2.10 normal": {verdict: "listed", codes: []string{"127.0.0.2"}, meanings: []string{"spam source"},
			txt: []string{"Listed, see https://normal.lists.test/lookup?ip=192.0.2.10"}},
		"192.0.2.11 normal": {verdict: "listed", codes: []string{"127.0.0.10", "127.0.0.3"},
			meanings: []string{"dynamic range (policy)", "spam source, verified"},
			txt:      []string{"Dynamic range 192.0.2.11 (policy)", "Spam source 192.0.2.11 (code 3)"}},
		"198.51.100.7 normal":     {verdict: "listed", codes: []string{"127.0.0.4"}, txt: []string{}},
		"192.0.2.99 normal":       {verdict: "not_listed", codes: []string{}},
		"2001:db8:1::25 v6":       {verdict: "listed", codes: []string{"127.0.0.3"}, meanings: []string{"abused range"}},
		"2001:db8:2::1 v6":        {verdict: "not_listed"},
		"spam.example dbl":        {verdict: "listed", codes: []string{"127.0.1.2"}, meanings: []string{"low reputation"}},
		"login.phish.example dbl": {verdict: "listed", codes: []string{"127.0.1.4"}, meanings: []string{"phishing"}},
		"phish.example dbl":       {verdict: "listed"},
		"clean.example dbl":       {verdict: "not_listed"},
	}
	for _, ip := range fixtureTargets[:4] {
		wants[ip+" world"] = want{verdict: "unknown", reason: "unhealthy"}
		wants[ip+" refuse"] = want{verdict: "refused", reason: "public or open resolver"}
		wants[ip+" v6"] = want{verdict: "unchecked", reason: "IPv6 queries only"}
	}
	for _, ip := range fixtureTargets[4:6] {
		for _, l := range []string{"normal", "world", "refuse"} {
			wants[ip+" "+l] = want{verdict: "unchecked", reason: "IPv4 queries only"}
		}
	}
	for k, w := range wants {
		r, ok := got[k]
		if !ok {
			t.Errorf("%s: no result", k)
			continue
		}
		if v := str(r["verdict"]); v != w.verdict {
			t.Errorf("%s: verdict %s (%s), want %s", k, v, str(r["reason"]), w.verdict)
			continue
		}
		for field, wantList := range map[string][]string{"codes": w.codes, "meanings": w.meanings, "txt": w.txt} {
			if g := strs(r[field]); wantList != nil && !slices.Equal(g, wantList) {
				t.Errorf("%s: %s %q, want %q", k, field, g, wantList)
			}
		}
		if !strings.Contains(str(r["reason"]), w.reason) {
			t.Errorf("%s: reason %q, want it to contain %q", k, str(r["reason"]), w.reason)
		}
	}
	if len(got) != len(wants) {
		t.Errorf("%d results, want %d", len(got), len(wants))
	}
}

// TestCheckRbldnsdText uses ad-hoc --zone lists, as a user trying a list
// from the command line would.
func TestCheckRbldnsdText(t *testing.T) {
	srv := rbldnsdtest.StartFixtures(t)
	args := []string{"check", "--resolver", srv.Addr(), "--no-progress",
		"--zone", rbldnsdtest.ZoneNormal, "--zone", rbldnsdtest.ZoneWorld, "--zone", rbldnsdtest.ZoneRefuse,
		"--zone", rbldnsdtest.ZoneIPv6 + ":ipv6", "--zone", rbldnsdtest.ZoneDomains + ":domain"}
	code, out, errOut := checkCLI(t, append(args, fixtureTargets...)...)
	if code != exitCritical {
		t.Errorf("exit %d, want %d; stderr: %s", code, exitCritical, errOut)
	}
	for _, s := range []string{
		"192.0.2.10", "Listed, see https://normal.lists.test/lookup?ip=192.0.2.10",
		"Spam source 192.0.2.11 (code 3)", "Dynamic range 192.0.2.11 (policy)",
		"2001:db8:1::25", "Abused IPv6 range 2001:db8:1::25",
		"spam.example", "Domain spam.example listed, low reputation",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	// Each unusable list is explained once, not once per target.
	for _, s := range []string{"it probably lists everything", "query via a public or open resolver"} {
		if n := strings.Count(out, s); n != 1 {
			t.Errorf("%q appears %d times, want once:\n%s", s, n, out)
		}
	}
}

func TestCheckRbldnsdExitCodes(t *testing.T) {
	srv := rbldnsdtest.StartFixtures(t)
	for _, tc := range []struct {
		name string
		zone string
		ip   string
		want int
	}{
		{"clean", rbldnsdtest.ZoneNormal, "192.0.2.99", exitOK},
		{"listed", rbldnsdtest.ZoneNormal, "192.0.2.10", exitCritical},
		{"list of the world", rbldnsdtest.ZoneWorld, "192.0.2.99", exitUnknown},
		{"refusing list", rbldnsdtest.ZoneRefuse, "192.0.2.99", exitUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := checkCLI(t, "check", "--resolver", srv.Addr(), "--no-progress", "--zone", tc.zone, tc.ip)
			if code != tc.want {
				t.Errorf("exit %d, want %d\n%s%s", code, tc.want, out, errOut)
			}
		})
	}
}

func TestCheckRbldnsdNagios(t *testing.T) {
	srv := rbldnsdtest.StartFixtures(t)
	code, out, _ := checkCLI(t, "--format", "nagios", "check", "--resolver", srv.Addr(),
		"--zone", rbldnsdtest.ZoneNormal, "192.0.2.10", "192.0.2.99")
	if code != exitCritical {
		t.Errorf("exit %d, want %d", code, exitCritical)
	}
	status, perf, ok := strings.Cut(strings.SplitN(out, "\n", 2)[0], "|")
	if !ok || !strings.Contains(status, "CRITICAL") || !strings.Contains(perf, "listed=1") {
		t.Errorf("not a Nagios status line with perfdata: %q", out)
	}
}

// spamhausKey stands for a Spamhaus DQS key: a secret that must never
// reach the output, the log or an error message.
const spamhausKey = "k3ysecr3tdqs0000000000000"

// zenData is a Spamhaus-ZEN-like zone: the test point, an address on SBL
// and PBL (two datasets, as ZEN combines them), and one that gets the
// public-resolver refusal code. The DQS copy's TXT echoes the key, as a
// server may echo the query name.
func zenData(txtSuffix string) (main, pbl string) {
	main = ":127.0.0.2:https://check.spamhaus.org/query/ip/$" + txtSuffix + `
127.0.0.2
192.0.2.20
192.0.2.30 :127.255.255.254:Error: open resolver
`
	pbl = ":127.0.0.10:PBL listing, see https://check.spamhaus.org/query/ip/$\n192.0.2.20\n"
	return main, pbl
}

// The catalogue's knowledge (codes, meanings, refusal codes, delisting
// page, DQS key handling) applied to answers from a real server: the
// zones are served by the local rbldnsd under their real names, and the
// resolver is that rbldnsd, so nothing leaves the machine.
func TestCheckRbldnsdCatalogueLists(t *testing.T) {
	zenMain, zenPBL := zenData("")
	dqsMain, dqsPBL := zenData(" (query for " + spamhausKey + ".zen.dq.spamhaus.net)")
	dqsZone := spamhausKey + ".zen.dq.spamhaus.net"
	srv := rbldnsdtest.StartT(t, rbldnsdtest.Options{},
		rbldnsdtest.Zone{Name: "zen.spamhaus.org", Type: "ip4set", File: "zen", Data: zenMain},
		rbldnsdtest.Zone{Name: "zen.spamhaus.org", Type: "ip4set", File: "zen-pbl", Data: zenPBL},
		rbldnsdtest.Zone{Name: dqsZone, Type: "ip4set", File: "dqs", Data: dqsMain},
		rbldnsdtest.Zone{Name: dqsZone, Type: "ip4set", File: "dqs-pbl", Data: dqsPBL},
	)
	t.Setenv("DNSBLAUDIT_SPAMHAUS_DQS_KEY", spamhausKey)
	args := []string{"--log-level", "debug", "check", "--resolver", srv.Addr(), "--no-progress",
		"--list", "spamhaus-zen", "--list", "spamhaus-zen-dqs", "192.0.2.20", "192.0.2.30", "192.0.2.99"}
	for _, format := range []string{"json", "text", "nagios"} {
		code, out, errOut := checkCLI(t, append([]string{"--format", format}, args...)...)
		// The debug log names every query: the check below means something
		// only if the DQS queries are among them.
		if !strings.Contains(errOut, ".zen.dq.spamhaus.net") {
			t.Errorf("--format %s: the debug log does not mention the DQS queries", format)
		}
		if strings.Contains(out+errOut, spamhausKey) {
			t.Errorf("--format %s: the DQS key appears in the output or the log", format)
		}
		if code != exitCritical {
			t.Errorf("--format %s: exit %d, want %d; stderr: %.500s", format, code, exitCritical, errOut)
		}
		if format != "json" {
			continue
		}
		var doc checkDoc
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("output is not JSON: %v", err)
		}
		byKey := map[string]map[string]json.RawMessage{}
		for _, r := range doc.Results {
			byKey[str(r["query"])+" "+str(r["list"])] = r
		}
		checkSpamhaus(t, byKey)
	}
}

func checkSpamhaus(t *testing.T, got map[string]map[string]json.RawMessage) {
	t.Helper()
	for _, list := range []string{"spamhaus-zen", "spamhaus-zen-dqs"} {
		r := got["192.0.2.20 "+list]
		if v := str(r["verdict"]); v != "listed" {
			t.Errorf("192.0.2.20 on %s: %s (%s)", list, v, str(r["reason"]))
			continue
		}
		m := strings.Join(strs(r["meanings"]), " | ")
		if !strings.Contains(m, "SBL") || !strings.Contains(m, "PBL") {
			t.Errorf("192.0.2.20 on %s: meanings %q, want SBL and PBL", list, m)
		}
		if d := str(r["delist_url"]); d != "https://check.spamhaus.org/" {
			t.Errorf("192.0.2.20 on %s: delist_url %q", list, d)
		}
		if len(strs(r["txt"])) != 2 {
			t.Errorf("192.0.2.20 on %s: TXT %q, want one per dataset", list, strs(r["txt"]))
		}
		r = got["192.0.2.30 "+list]
		if v := str(r["verdict"]); v != "refused" || !strings.Contains(str(r["reason"]), "public or open resolver") {
			t.Errorf("192.0.2.30 on %s: %s (%s), want refused: public resolver", list, v, str(r["reason"]))
		}
		if v := str(got["192.0.2.99 "+list]["verdict"]); v != "not_listed" {
			t.Errorf("192.0.2.99 on %s: %s", list, v)
		}
	}
	if z := str(got["192.0.2.20 spamhaus-zen-dqs"]["zone"]); strings.Contains(z, spamhausKey) || !strings.HasSuffix(z, ".zen.dq.spamhaus.net") {
		t.Errorf("DQS zone shown as %q", z)
	}
}

// BenchmarkCheckCommandRbldnsd is bench/check.sh's workload (4096
// addresses x 10 lists) through the whole command in process, JSON output
// included, for profiling what the command adds to the checker:
//
//	go test -run '^$' -bench CheckCommandRbldnsd -memprofile mem.out ./cmd/dnsblaudit/
func BenchmarkCheckCommandRbldnsd(b *testing.B) {
	w := workload.New()
	srv := rbldnsdtest.StartT(b, rbldnsdtest.Options{CheckInterval: time.Hour}, w.RbldnsdZones()...)
	args := []string{"dnsblaudit", "--format", "json", "check", "--no-progress", "--resolver", srv.Addr()}
	for _, z := range w.Zones {
		args = append(args, "--zone", z)
	}
	args = append(args, workload.Network)
	b.ReportAllocs()
	for b.Loop() {
		if code := run(args, io.Discard, io.Discard); code != exitCritical {
			b.Fatalf("exit %d, want %d", code, exitCritical)
		}
	}
	b.ReportMetric(float64(w.Checks())*float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}

func str(raw json.RawMessage) string {
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// strs decodes a JSON array of strings, sorted (the order of a zone's
// datasets is rbldnsd's business).
func strs(raw json.RawMessage) []string {
	var s []string
	_ = json.Unmarshal(raw, &s)
	slices.Sort(s)
	if s == nil {
		s = []string{}
	}
	return s
}
