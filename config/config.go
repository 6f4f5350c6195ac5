// Package config reads the YAML configuration file. Each domain package owns
// the struct of its own section; this package only composes them, decodes
// strictly (unknown keys are errors) and names the file, line and field of
// whatever is wrong.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/watch"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// Config is the whole configuration file.
type Config struct {
	// Targets are the operator's mail IPs, CIDRs, hostnames and domains.
	Targets []string `yaml:"targets"`
	// OwnDomains are the domains the operator sends mail for; a message from
	// one of them whose client is outside OwnNetworks is a forged sender.
	OwnDomains []string `yaml:"own_domains"`
	// OwnNetworks are the operator's own sending networks (CIDRs or IPs).
	OwnNetworks []string `yaml:"own_networks"`
	// State is the path of the SQLite state file ("" = XDG state directory).
	State string `yaml:"state"`

	DNSBL    dnsbl.Config    `yaml:"dnsbl"`
	Watch    watch.Config    `yaml:"watch"`
	Evidence evidence.Config `yaml:"evidence"`
	Whois    whoisctx.Config `yaml:"whois"`
	Notify   notify.Config   `yaml:"notify"`
}

// ErrInvalid marks every configuration error, so callers can map it to the
// "unable to check" exit code with errors.Is.
var ErrInvalid = errors.New("invalid configuration")

// Load reads and decodes the file at path. An empty path yields the zero
// Config (every section falls back to its defaults).
func Load(path string) (*Config, error) {
	if path == "" {
		return &Config{}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse decodes data strictly; name is used in error messages.
func Parse(name string, data []byte) (*Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: %s: %w", name, yamlMessage(err), ErrInvalid)
	}
	return &cfg, nil
}

// yamlMessage flattens yaml.v3's multi-line TypeError ("line 3: field x not
// found in type ...") into one line that names the line and field.
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
