package dnsbl

import (
	"fmt"
	"time"
)

// Defaults applied by Config.withDefaults.
const (
	DefaultTimeout     = 2 * time.Second
	DefaultRetries     = 3
	DefaultConcurrency = 100
	maxConcurrency     = 4096
)

// Config is the "dnsbl" section of the configuration file. Its fields carry
// yaml tags; the config package decodes it strictly (unknown keys are
// errors). Zero values mean the defaults.
type Config struct {
	// Resolver is "system" (or empty: /etc/resolv.conf) or "host:port".
	Resolver string `yaml:"resolver"`
	// ResolvConf is the file read for the system resolver.
	ResolvConf string `yaml:"resolv_conf"`
	// Timeout is the longest wait for one attempt (default 2s).
	Timeout time.Duration `yaml:"timeout"`
	// Retries after a timeout (default 3); -1 means none.
	Retries int `yaml:"retries"`
	// Concurrency bounds the lookups in flight (default 100: a server's
	// default 208 KiB UDP receive buffer holds about 150 small queries, so
	// more in flight makes a single-threaded rbldnsd drop packets).
	Concurrency int `yaml:"concurrency"`
	// HealthTTL is how long a list's RFC 5782 §5 test point verdict is
	// reused before its test points are asked again (default 1h; a
	// negative value asks them on every run). With a state file it is
	// kept between processes.
	HealthTTL time.Duration `yaml:"health_ttl"`
	// NoCache turns off the in-process answer cache.
	NoCache bool `yaml:"no_cache"`
	// Lists adds lists, or overrides catalogue lists of the same name
	// field by field.
	Lists []List `yaml:"lists"`
	// Enable turns on catalogue lists that are off by default; Disable
	// turns lists off. Only, when set, checks exactly these lists.
	Enable  []string `yaml:"enable"`
	Disable []string `yaml:"disable"`
	Only    []string `yaml:"only"`
	// NoCatalogue ignores the built-in catalogue: only Lists are known.
	NoCatalogue bool `yaml:"no_catalogue"`
}

// withDefaults returns c with zero values replaced by defaults.
func (c Config) withDefaults() Config {
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.Retries == 0:
		c.Retries = DefaultRetries
	case c.Retries < 0:
		c.Retries = 0
	}
	if c.Concurrency == 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.ResolvConf == "" {
		c.ResolvConf = DefaultResolvConf
	}
	if c.HealthTTL == 0 {
		c.HealthTTL = DefaultHealthTTL
	}
	return c
}

// Validate checks the section; errors name the field ("dnsbl.timeout").
func (c Config) Validate() error {
	if c.Timeout < 0 {
		return fmt.Errorf("dnsbl.timeout %v: must be positive: %w", c.Timeout, ErrBadConfig)
	}
	if c.Retries > 10 {
		return fmt.Errorf("dnsbl.retries %d: at most 10: %w", c.Retries, ErrBadConfig)
	}
	if c.Concurrency < 0 || c.Concurrency > maxConcurrency {
		return fmt.Errorf("dnsbl.concurrency %d: want 1 to %d: %w", c.Concurrency, maxConcurrency, ErrBadConfig)
	}
	if c.Resolver != "" && c.Resolver != "system" {
		if _, err := normaliseServer(c.Resolver); err != nil {
			return fmt.Errorf("dnsbl.resolver: %w", err)
		}
	}
	for i := range c.Lists {
		l := c.Lists[i]
		if l.Zone == "" || l.Name == "" {
			// an override of a catalogue list may omit the zone;
			// compiled (and checked) once merged.
			if l.Name == "" {
				return fmt.Errorf("dnsbl.lists[%d].name: empty: %w", i, ErrBadConfig)
			}
			continue
		}
		if _, err := compileList(l, fmt.Sprintf("dnsbl.lists[%d]", i), func(string) string { return "x" }); err != nil {
			return err
		}
	}
	return nil
}
