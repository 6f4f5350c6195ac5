package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// investigate sends DNS queries too, so it takes --resolver like every
// such command: it wins over the configured resolver, here a port where
// nothing answers.
func TestInvestigateResolverFlag(t *testing.T) {
	dns, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dns.Close() })
	dns.HealthyIPv4("l.test").ListIP("l.test", "192.0.2.25", "listed for the test", "127.0.0.2")
	tmp := t.TempDir()
	logf := filepath.Join(tmp, "maillog")
	if err := os.WriteFile(logf, []byte("2026-11-20T12:00:00+00:00 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(tmp, "config.yaml")
	conf := "dnsbl:\n  resolver: 127.0.0.1:9\n  timeout: 1s\n  no_catalogue: true\n  lists: [{name: l, zone: l.test}]\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "case")
	var out, errb bytes.Buffer
	code := run([]string{"dnsblaudit", "--config", cfg, "--state", filepath.Join(tmp, "none.db"),
		"investigate", "--resolver", dns.Addr, "--no-whois", "--no-notices", "--log", logf, "--domain", "example.com",
		"--since", "2026-11-19", "--until", "2026-11-21", "--out", dir, "192.0.2.25"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "case.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c investigate.Case
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Listings) != 1 || c.Listings[0].List != "l" {
		t.Errorf("listings %+v, want the one the --resolver server gives", c.Listings)
	}
}
