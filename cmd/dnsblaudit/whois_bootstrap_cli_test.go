package main

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// `dnsblaudit whois` with no server named asks the RDAP server the
// embedded IANA bootstrap names: one address in each registry's space, and
// domains under .uk (listed by IANA) and .de/.jp (not listed: no RDAP
// query, and the output says why). The real hosts are played by a
// loopback fake; WHOIS and the DNS sources are off so nothing else is
// asked.
func TestWhoisCLIPicksRDAPServerFromEmbeddedBootstrap(t *testing.T) {
	reg := startWhoisFakes(t)
	rh := whoistest.NewRDAPHosts(reg.RDAP)
	whoisTestOptions = []whoisctx.Option{whoisctx.WithHTTPClient(&http.Client{Transport: rh})}
	t.Cleanup(func() { whoisTestOptions = nil })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("whois:\n  min_interval: -1s\n  skip_whois: true\n  skip_dns: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"62.239.237.10":     "https://rdap.db.ripe.net/ip/62.239.237.10",
		"2a00:2381:ffff::1": "https://rdap.db.ripe.net/ip/2a00:2381:ffff::1",
		"174.0.36.9":        "https://rdap.arin.net/registry/ip/174.0.36.9",
		"171.0.1.2":         "https://rdap.apnic.net/ip/171.0.1.2",
		"200.57.141.161":    "https://rdap.lacnic.net/rdap/ip/200.57.141.161",
		"196.11.240.215":    "https://rdap.afrinic.net/rdap/ip/196.11.240.215",
		"example.co.uk":     "https://rdap.nominet.uk/uk/domain/example.co.uk",
	}
	args := []string{"dnsblaudit", "--config", cfg, "--state", filepath.Join(dir, "state.db"), "whois", "--no-cache"}
	for q := range want {
		args = append(args, q)
	}
	args = append(args, "example.de", "example.jp")
	var stdout, stderr bytes.Buffer
	run(args, &stdout, &stderr)
	seen := map[string]bool{}
	for _, raw := range rh.Seen() {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		seen[u.Scheme+"://"+u.Host+u.Path] = true
		if strings.Contains(u.Path, ".de") || strings.Contains(u.Path, ".jp") {
			t.Errorf("RDAP asked %s for a TLD IANA does not list", raw)
		}
	}
	for q, u := range want {
		if !seen[u] {
			t.Errorf("%s: %s not asked; asked %v", q, u, rh.Seen())
		}
	}
	out := stdout.String()
	for _, w := range []string{"no RDAP server known for .de", "no RDAP server known for .jp", "dates from 2024-11-20"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s\n%s", w, out, stderr.String())
		}
	}
}
