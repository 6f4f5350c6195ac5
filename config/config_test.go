package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseTopLevel(t *testing.T) {
	cfg, err := Parse("t.yaml", []byte("targets: [192.0.2.1, mail.example.org]\nown_domains: [example.com]\nown_networks: [192.0.2.0/24]\nstate: /tmp/s.db\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Targets) != 2 || cfg.OwnDomains[0] != "example.com" || cfg.OwnNetworks[0] != "192.0.2.0/24" || cfg.State != "/tmp/s.db" {
		t.Fatalf("decoded %+v", cfg)
	}
}

func TestParseErrorsNameLineAndField(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"unknown key", "targets: [a]\nown_domain: [x]\n", "line 2: field own_domain not found"},
		{"wrong type", "targets: 5\n", "line 1"},
		{"syntax", "targets: [a\n", "t.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(c.in))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.want) || !strings.Contains(msg, "t.yaml") || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming t.yaml and %q", msg, c.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	if cfg, err := Load(""); err != nil || cfg == nil {
		t.Fatalf("Load(\"\") = %v, %v", cfg, err)
	}
	p := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(p, []byte("targets: [192.0.2.1]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(p)
	if err != nil || cfg.Targets[0] != "192.0.2.1" {
		t.Fatalf("Load = %+v, %v", cfg, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Fatalf("missing file error %v does not name the file", err)
	}
}

// FuzzParse: no input may panic, and every error is one line that names the
// file, so the CLI can print it as is.
func FuzzParse(f *testing.F) {
	f.Add([]byte("targets: [192.0.2.1]\nown_domains: [example.com]\n"))
	f.Add([]byte("dnsbl: {}\nwatch: {}\n"))
	f.Add([]byte("targets: [\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("f.yaml", data)
		if err != nil && !strings.HasPrefix(err.Error(), "config f.yaml: ") {
			t.Fatalf("error %q does not name the file", err)
		}
	})
}
