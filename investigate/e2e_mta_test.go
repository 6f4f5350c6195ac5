package investigate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/demo"
	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// mtaDir holds logs written by real Exim 4.96 and Postfix 3.7 probing each
// other (evidence/testdata/mta/PROVENANCE.md).
const mtaDir = "../evidence/testdata/mta"

// captured is when the fixtures were written: their syslog stamps carry no
// year, which the scanner takes from the file's mtime.
var captured = time.Date(2026, 11, 27, 6, 10, 0, 0, time.UTC)

// investigate on the victims' real logs: Postfix probed by two Exim
// callout=random hosts (one with its clock 47 s slow), Exim probed by a
// Postfix reject_unverified_sender host.
func TestInvestigateRealMTALogs(t *testing.T) {
	dns, err := demo.ServeZones(demo.Zones(demo.Story{MX: "127.0.0.35"}))
	if err != nil {
		t.Fatal(err)
	}
	defer dns.Close()
	reg, err := whoistest.StartRegistry()
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	reg.WHOIS.Route("127.0.0.0/8", whoistest.Reply{Text: whoistest.File("ripe.txt")})
	tmp := t.TempDir()
	logs := copyLogs(t, tmp, "postfix-victim.log", "exim-victim.log")
	cfg := filepath.Join(tmp, "config.yaml")
	writeConfig(t, cfg, dns.Addr, reg)
	dir := filepath.Join(tmp, "case")
	args := []string{"--config", cfg, "--state", filepath.Join(tmp, "none.db"), "investigate",
		"--since", "2026-11-27", "--until", "2026-11-28", "--out", dir}
	for _, l := range logs {
		args = append(args, "--log", l)
	}
	r := run(t, append(args, "127.0.0.35")...)
	if r.code != 0 {
		t.Fatalf("investigate exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	c := readCase(t, dir)
	checkMTAProbers(t, c)
	if len(c.Listings) != 1 || c.Listings[0].List != "callbackrl" || len(c.Listings[0].CalloutWords) == 0 {
		t.Errorf("listings: %+v", c.Listings)
	}
	if c.Hypothesis.Verdict != investigate.Partial || !strings.Contains(c.Hypothesis.Summary, "no spam forging the probed addresses") {
		t.Errorf("hypothesis %s: %s (the victims' logs hold the probes but not the spam, which went to the probers)",
			c.Hypothesis.Verdict, c.Hypothesis.Summary)
	}
	for _, pc := range c.Contacts {
		if len(pc.Contacts) == 0 || pc.Contacts[0].Address != "protect@bt.com" {
			t.Errorf("contacts of %s: %+v %s", pc.IP, pc.Contacts, pc.Error)
		}
	}
	checkNotices(t, dir, c, 1) // the three probers share one abuse desk
	e := prober(c, "127.0.0.25").Events[0]
	epoch := fmt.Sprintf("%d = %s", e.Epoch.Unix(), e.Epoch.UTC().Format("2006-01-02 15:04:05 UTC"))
	checkHTML(t, dir, []string{"127.0.0.25", "mx42.prober.test", epoch, "keerheior@victim.test"})
}

func checkMTAProbers(t *testing.T, c *investigate.Case) {
	t.Helper()
	// 127.0.0.25's accepted probe of alice logs no sender: a suspect, not a probe.
	want := map[string]int{"127.0.0.25": 2, "127.0.0.27": 2, "127.0.0.26": 5}
	for ip, n := range want {
		p := prober(c, ip)
		if p == nil || p.Probes != n {
			t.Errorf("prober %s: %+v, want %d probes", ip, p, n)
		}
	}
	if p := prober(c, "127.0.0.25"); p != nil {
		if e := p.Events[0]; e.Epoch == nil || e.Epoch.Unix() != epochIn(e.Recipients) || e.Epoch.Sub(e.Time).Abs() > 5*time.Second {
			t.Errorf("127.0.0.25: epoch not decoded from %v: %+v", e.Recipients, e.Epoch)
		}
	}
	if p := prober(c, "127.0.0.27"); p != nil && (p.Events[0].SkewSec == nil || *p.Events[0].SkewSec != 47) {
		t.Errorf("127.0.0.27: clock skew not 47 s: %+v", p.Events[0])
	}
	probed := strings.Join(prober(c, "127.0.0.25").ProbedAddresses, " ")
	for _, a := range []string{"keerheior@victim.test", "anecowuutp@victim.test"} {
		if !strings.Contains(probed, a) {
			t.Errorf("127.0.0.25 probed %s, want %s among them", probed, a)
		}
	}
}

// copyLogs copies fixtures and dates them to the capture, so the year of
// their stamps does not depend on when the test runs.
func copyLogs(t *testing.T, dir string, names ...string) []string {
	t.Helper()
	var out []string
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(mtaDir, n))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, captured, captured); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func writeConfig(t *testing.T, path, dnsAddr string, reg *whoistest.Registry) {
	t.Helper()
	var lists strings.Builder
	for _, z := range demo.Zones(demo.Story{MX: "127.0.0.35"}) {
		fmt.Fprintf(&lists, "    - {name: %s, zone: %s, kind: %s, delist_url: %q}\n", z.List.Name, z.List.Zone, z.List.Kind, z.List.Delist)
	}
	yaml := fmt.Sprintf(`own_domains: [victim.test, victim2.test]
own_networks: [127.0.0.35, 127.0.0.45, 127.0.0.50, 127.0.0.60, 127.0.0.70]
dnsbl:
  resolver: %s
  timeout: 1s
  no_catalogue: true
  lists:
%swhois:
  whois_server: %s
  rdap_url: %s
  dns_servers: [%s]
  lookup_special: true
  min_interval: -1s
evidence:
  time_zone: UTC
notify:
  from: "Victim Postmaster <postmaster@victim.test>"
`, dnsAddr, lists.String(), reg.WHOIS.Addr(), reg.RDAP.URL(), reg.DNS.Addr())
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
}

// epochIn reads the $tod_epoch of an Exim random local part.
func epochIn(addrs []string) int64 {
	for _, a := range addrs {
		if m := randomPart.FindStringSubmatch(a); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			return n
		}
	}
	return -1
}

var randomPart = regexp.MustCompile(`-(\d{9,11})-testing@`)
