package whoisctx

import (
	"fmt"
	"net/url"
	"time"
)

// Defaults applied by Config.withDefaults.
const (
	DefaultTimeout          = 20 * time.Second
	DefaultQueryTimeout     = 8 * time.Second
	DefaultCacheTTL         = 7 * 24 * time.Hour
	DefaultMinInterval      = 2 * time.Second
	DefaultMaxResponseBytes = 1 << 20
)

// Config is the "whois" section of the configuration file. Its fields carry
// yaml tags; the config package decodes it strictly (unknown keys are errors).
// Zero values mean "use the default".
type Config struct {
	// Timeout bounds the work of one Lookup (all sources together). Time
	// spent waiting for a registry busy with other lookups is not counted:
	// a batch of probers queues there, one query at a time.
	Timeout time.Duration `yaml:"timeout"`
	// QueryTimeout bounds one query to one server (dial included).
	QueryTimeout time.Duration `yaml:"query_timeout"`
	// DNSServers answer the DNS sources (Team Cymru, Abusix, abuse.net,
	// reverse names), as "host" or "host:port". Empty: /etc/resolv.conf.
	DNSServers []string `yaml:"dns_servers"`
	// WhoisServer, like `whois -h`, sends every WHOIS query to HOST[:PORT]
	// instead of the registry's server.
	WhoisServer string `yaml:"whois_server"`
	// RDAPURL sends every RDAP query to this base URL instead of the one the
	// IANA bootstrap names.
	RDAPURL string `yaml:"rdap_url"`
	// BootstrapDir holds refreshed IANA bootstrap files (ipv4.json,
	// ipv6.json, dns.json, asn.json); missing files fall back to the
	// embedded copies.
	BootstrapDir string `yaml:"bootstrap_dir"`
	// CacheTTL is how long a registry answer is reused for its prefix.
	CacheTTL time.Duration `yaml:"cache_ttl"`
	// MinInterval is the minimum time between two queries to one server;
	// negative means none.
	MinInterval time.Duration `yaml:"min_interval"`
	// MaxResponseBytes caps one WHOIS or RDAP answer.
	MaxResponseBytes int64 `yaml:"max_response_bytes"`
	// LookupSpecial queries registries even for private, reserved and
	// documentation ranges (and reserved domains). Useful with a private
	// registry set in WhoisServer/RDAPURL, and for the offline demo.
	LookupSpecial bool `yaml:"lookup_special"`
	// SkipDomain leaves out the host's domain (reverse name, registrar,
	// abuse.net) when looking up an IP address.
	SkipDomain bool `yaml:"skip_domain"`
	// SkipRDAP, SkipWhois and SkipDNS turn individual sources off.
	SkipRDAP  bool `yaml:"skip_rdap"`
	SkipWhois bool `yaml:"skip_whois"`
	SkipDNS   bool `yaml:"skip_dns"`
}

// withDefaults returns c with zero fields replaced by defaults.
func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.QueryTimeout <= 0 {
		c.QueryTimeout = DefaultQueryTimeout
	}
	if c.CacheTTL <= 0 {
		c.CacheTTL = DefaultCacheTTL
	}
	if c.MinInterval < 0 {
		c.MinInterval = 0
	} else if c.MinInterval == 0 {
		c.MinInterval = DefaultMinInterval
	}
	if c.MaxResponseBytes <= 0 {
		c.MaxResponseBytes = DefaultMaxResponseBytes
	}
	return c
}

// Validate reports the first unusable field, naming it.
func (c Config) Validate() error {
	if c.RDAPURL != "" {
		u, err := url.Parse(c.RDAPURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("whois.rdap_url %q: want an http(s) URL", c.RDAPURL)
		}
	}
	if c.WhoisServer != "" {
		if _, err := hostPort(c.WhoisServer, "43"); err != nil {
			return fmt.Errorf("whois.whois_server: %w", err)
		}
	}
	for _, s := range c.DNSServers {
		if _, err := hostPort(s, "53"); err != nil {
			return fmt.Errorf("whois.dns_servers: %w", err)
		}
	}
	return nil
}
