package main

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/config"
	"github.com/dnsblaudit/dnsblaudit/state"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

const (
	flagWhoisServer      = "whois-server"
	flagRDAPURL          = "rdap-url"
	flagDNSServer        = "dns-server"
	flagWhoisTimeout     = "timeout"
	flagRaw              = "raw"
	flagLookupSpecial    = "lookup-special"
	flagNoCache          = "no-cache"
	flagNoDomain         = "no-domain"
	flagRefreshBootstrap = "refresh-bootstrap"
)

func whoisFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagWhoisServer, Usage: "send WHOIS queries to `HOST[:PORT]` (like whois -h)", EnvVars: envVar(flagWhoisServer)},
		&cli.StringFlag{Name: flagRDAPURL, Usage: "send RDAP queries to this base `URL`", EnvVars: envVar(flagRDAPURL)},
		&cli.StringSliceFlag{Name: flagDNSServer, Aliases: []string{flagResolver}, Usage: "DNS server `HOST[:PORT]` for the DNS sources (repeatable; default /etc/resolv.conf; --resolver is the name every command shares)", EnvVars: append(envVar(flagResolver), envVar(flagDNSServer)...)},
		&cli.DurationFlag{Name: flagWhoisTimeout, Value: whoisctx.DefaultTimeout, Usage: "time budget per query (all sources together, not counting the wait for a busy registry; config: whois.timeout)"},
		&cli.BoolFlag{Name: flagRaw, Usage: "print the registries' answers too (sanitised)"},
		&cli.BoolFlag{Name: flagLookupSpecial, Usage: "ask the registries even for private, reserved and documentation ranges (default when --whois-server or --rdap-url is set)"},
		&cli.BoolFlag{Name: flagNoCache, Usage: "neither read nor write the contact cache in the state file"},
		&cli.BoolFlag{Name: flagNoDomain, Usage: "skip the host's domain (reverse name, registrar, abuse.net) for IP addresses"},
		&cli.BoolFlag{Name: flagRefreshBootstrap, Usage: "download the IANA RDAP bootstrap files into the bootstrap directory and exit"},
	}
}

// whoisConfig applies the flags over the configuration file's section.
// Naming a server, like `whois -h`, means "ask this one", so special
// ranges are then looked up too (private registries, the offline demo).
func whoisConfig(c *cli.Context, cfg *config.Config) (whoisctx.Config, error) {
	wc := cfg.Whois
	if wc.BootstrapDir == "" {
		wc.BootstrapDir = defaultBootstrapDir(c, cfg)
	}
	if s := c.String(flagWhoisServer); s != "" {
		wc.WhoisServer, wc.LookupSpecial = s, true
	}
	if s := c.String(flagRDAPURL); s != "" {
		wc.RDAPURL, wc.LookupSpecial = s, true
	}
	if s := c.StringSlice(flagDNSServer); len(s) > 0 {
		wc.DNSServers = s
	}
	if c.IsSet(flagWhoisTimeout) {
		d := c.Duration(flagWhoisTimeout)
		if d <= 0 {
			return wc, fmt.Errorf("--%s %s: want a positive duration", flagWhoisTimeout, d)
		}
		wc.Timeout = d
		wc.QueryTimeout = min(d, max(wc.QueryTimeout, whoisctx.DefaultQueryTimeout))
	}
	if c.Bool(flagLookupSpecial) {
		wc.LookupSpecial = true
	}
	if c.Bool(flagNoDomain) {
		wc.SkipDomain = true
	}
	if err := wc.Validate(); err != nil {
		return wc, fmt.Errorf("%w (flags or config)", err)
	}
	return wc, nil
}

// whoisCache opens the state file's contact cache; when that fails the
// lookup still runs with the in-memory cache, and says so on stderr.
func whoisCache(c *cli.Context, cfg *config.Config) ([]whoisctx.Option, func()) {
	if c.Bool(flagNoCache) {
		return nil, func() {}
	}
	path, err := statePath(c, cfg)
	if err == nil {
		var db *state.DB
		if db, err = state.Open(contextOf(c), path, state.Options{}); err == nil {
			return []whoisctx.Option{whoisctx.WithCache(db.WhoisCache())}, func() { _ = db.Close() }
		}
	}
	fmt.Fprintf(c.App.ErrWriter, "dnsblaudit: whois: contact cache unavailable (%v); answers will not be kept\n", err)
	return nil, func() {}
}

// defaultBootstrapDir is "rdap-bootstrap" next to the state file ("" when
// there is no state directory): missing files there fall back to the
// embedded copies, so it costs nothing until --refresh-bootstrap fills it.
func defaultBootstrapDir(c *cli.Context, cfg *config.Config) string {
	p, err := statePath(c, cfg)
	if err != nil {
		return ""
	}
	return filepath.Join(filepath.Dir(p), "rdap-bootstrap")
}

// refreshBootstrap fetches IANA's bootstrap files into the configured
// directory, or next to the state file.
func refreshBootstrap(c *cli.Context, cfg *config.Config) error {
	dir := cfg.Whois.BootstrapDir
	if dir == "" {
		dir = defaultBootstrapDir(c, cfg)
	}
	if dir == "" {
		return fmt.Errorf("whois: no bootstrap directory: set whois.bootstrap_dir or --%s", flagState)
	}
	ctx, cancel := context.WithTimeout(contextOf(c), time.Minute)
	defer cancel()
	if err := whoisctx.RefreshBootstrap(ctx, &http.Client{}, "", dir); err != nil {
		return fmt.Errorf("whois: %w", err)
	}
	fmt.Fprintf(c.App.Writer, "RDAP bootstrap files written to %s\n", dir)
	return nil
}
