package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

func runWhoisCLI(t *testing.T, reg *whoistest.Registry, args ...string) (string, string, int) {
	t.Helper()
	dir := t.TempDir()
	// No minimum interval between queries: the fakes do not mind.
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("whois:\n  min_interval: -1s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"dnsblaudit", "--config", cfg, "--state", filepath.Join(dir, "state.db")}
	rest := []string{"whois", "--whois-server", reg.WHOIS.Addr(), "--rdap-url", reg.RDAP.URL(), "--dns-server", reg.DNS.Addr(), "--timeout", "5s"}
	var global []string
	for len(args) > 0 && strings.HasPrefix(args[0], "--format") {
		global, args = append(global, args[0]), args[1:]
	}
	var stdout, stderr bytes.Buffer
	code := run(append(append(append(base, global...), rest...), args...), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func startWhoisFakes(t *testing.T) *whoistest.Registry {
	t.Helper()
	reg, err := whoistest.StartRegistry()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reg.Close() })
	return reg
}

func TestWhoisCLIText(t *testing.T) {
	reg := startWhoisFakes(t)
	out, errOut, code := runWhoisCLI(t, reg, "62.239.237.10", "198.51.100.9", whoistest.RegistrarDomain)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	for _, want := range []string{
		"62.239.237.10  AS2856 BT-UK-AS", "1. protect@bt.com", "network   whois",
		"198.51.100.9", "abuse@isp.example.com",
		whoistest.RegistrarAbuse, "registrar",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestWhoisCLIJSON(t *testing.T) {
	reg := startWhoisFakes(t)
	out, _, code := runWhoisCLI(t, reg, "--format=json", "171.0.1.2")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	var doc struct {
		Version int               `json:"version"`
		Results []whoisctx.Result `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, out)
	}
	if doc.Version != 1 || len(doc.Results) != 1 {
		t.Fatalf("doc = %+v", doc)
	}
	c := doc.Results[0].Contacts[0]
	if c.Address != "abuse@starhub.com" || c.Role != whoisctx.RoleNetwork || c.Source != "whois" || c.Confidence <= 0 || c.Raw != "" {
		t.Errorf("first contact %+v (raw must be left out without --raw)", c)
	}
	if len(doc.Results[0].Raw) != 0 {
		t.Error("raw answers present without --raw")
	}
}

// --raw prints the registry text through textsafe: the escape sequence in
// the hostile fixture never reaches the terminal.
func TestWhoisCLIRawSanitised(t *testing.T) {
	reg := startWhoisFakes(t)
	reg.WHOIS.Route("198.18.7.0/24", whoistest.Reply{Text: whoistest.File("inject.txt")})
	out, _, _ := runWhoisCLI(t, reg, "--raw", "198.18.7.1")
	if strings.ContainsAny(out, "\x1b\r") {
		t.Errorf("raw output carries control characters:\n%q", out)
	}
	if !strings.Contains(out, "--- whois ") || !strings.Contains(out, "EVIL-NET") {
		t.Errorf("raw answer missing:\n%s", out)
	}
}

func TestWhoisCLIExitCodes(t *testing.T) {
	reg := startWhoisFakes(t)
	// AFRINIC: only a remarks address that needs review -> warning.
	if _, _, code := runWhoisCLI(t, reg, whoistest.NetworkByName("afrinic").Sample.String()); code != exitWarning {
		t.Errorf("afrinic: exit %d, want %d", code, exitWarning)
	}
	if _, errOut, code := runWhoisCLI(t, reg, "not a host!"); code != exitUnknown || !strings.Contains(errOut, "not an IP address or a domain") {
		t.Errorf("bad input: exit %d, stderr %q", code, errOut)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"dnsblaudit", "whois"}, &stdout, &stderr); code != exitUnknown {
		t.Errorf("no argument: exit %d", code)
	}
}

// Without a named server, documentation addresses are answered locally.
func TestWhoisCLILocal(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"dnsblaudit", "--state", filepath.Join(t.TempDir(), "s.db"), "whois", "--dns-server", "127.0.0.1:1", "203.0.113.9", "10.1.1.1"}, &stdout, &stderr)
	if code != exitOK || !strings.Contains(stdout.String(), "answered locally, no query: 203.0.113.0/24 is documentation") {
		t.Errorf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}

// --format contacts is what notify --contacts reads.
func TestWhoisCLIContactsFormat(t *testing.T) {
	reg := startWhoisFakes(t)
	out, _, code := runWhoisCLI(t, reg, "--format=contacts", "62.239.237.10", "174.0.36.9")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	path := filepath.Join(t.TempDir(), "contacts.json")
	if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := notify.ReadContacts(path)
	if err != nil {
		t.Fatal(err)
	}
	if m["62.239.237.10"][0].Address != "protect@bt.com" || m["174.0.36.9"][0].Address != "internet.abuse@sjrb.ca" {
		t.Errorf("contacts = %+v", m)
	}
}
