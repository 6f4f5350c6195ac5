package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

var errNoTargets = errors.New("no targets: give IPs, networks, hostnames or domains as arguments, or set targets in the config")

// checkTargets returns the arguments, else the config's targets.
func checkTargets(c *cli.Context, fromConfig []string) ([]string, error) {
	if c.Args().Len() > 0 {
		return c.Args().Slice(), nil
	}
	if len(fromConfig) == 0 {
		return nil, errNoTargets
	}
	return fromConfig, nil
}

// checkConfig applies the command's flags over the config's dnsbl section.
// --zone and --list narrow the run to exactly the lists named.
func checkConfig(c *cli.Context, dc dnsbl.Config) (dnsbl.Config, error) {
	if r := c.String(flagResolver); r != "" {
		dc.Resolver = r
	}
	if c.IsSet(flagTimeout) {
		if c.Duration(flagTimeout) <= 0 {
			return dc, fmt.Errorf("--%s %v: must be positive", flagTimeout, c.Duration(flagTimeout))
		}
		dc.Timeout = c.Duration(flagTimeout)
	}
	if c.IsSet(flagRetries) {
		n := c.Int(flagRetries)
		if n < 0 || n > 10 {
			return dc, fmt.Errorf("--%s %d: want 0 to 10", flagRetries, n)
		}
		dc.Retries = n
		if n == 0 {
			dc.Retries = -1 // dnsbl.Config: 0 means the default, -1 none
		}
	}
	if c.IsSet(flagConcurrency) {
		if n := c.Int(flagConcurrency); n < 1 {
			return dc, fmt.Errorf("--%s %d: must be at least 1", flagConcurrency, n)
		}
		dc.Concurrency = c.Int(flagConcurrency)
	}
	// One check is one process: an answer cache that dies with it would
	// only cost time and memory (watch and serve keep theirs).
	dc.NoCache = true
	only := append([]string(nil), c.StringSlice(flagList)...)
	cat := dnsbl.DefaultCatalogue()
	for _, z := range c.StringSlice(flagZone) {
		l, err := zoneList(z)
		if err != nil {
			return dc, err
		}
		if known, ok := cat.Lookup(l.Zone); ok {
			// the catalogue knows its codes; a kind given overrides its own
			if strings.Contains(z, ":") && known.Kind != l.Kind {
				dc.Lists = append(dc.Lists, kindOverride(known, l.Kind))
			}
			only = append(only, known.Name)
			continue
		}
		dc.Lists = append(dc.Lists, l)
		only = append(only, l.Name)
	}
	if len(only) > 0 {
		dc.Only = only
	}
	return dc, nil
}

// zoneList turns "ZONE", "ZONE:ipv6" or "ZONE:domain" into an ad-hoc list.
func zoneList(s string) (dnsbl.List, error) {
	zone, kind, hasKind := strings.Cut(strings.TrimSpace(s), ":")
	zone = strings.TrimSuffix(zone, ".")
	l := dnsbl.List{Name: zone, Zone: zone, Kind: dnsbl.KindIPv4}
	if hasKind {
		switch k := dnsbl.Kind(strings.ToLower(kind)); k {
		case dnsbl.KindIPv4, dnsbl.KindIPv6, dnsbl.KindBoth, dnsbl.KindDomain:
			l.Kind = k
		default:
			return l, fmt.Errorf("--%s %q: kind %q: want ipv4, ipv6, both or domain", flagZone, s, kind)
		}
	}
	if err := l.Validate("--" + flagZone); err != nil {
		return l, fmt.Errorf("--%s %q: not a valid DNS zone", flagZone, s)
	}
	return l, nil
}

// kindOverride is the override of a catalogue list's kind asked for with
// --zone ZONE:KIND. A list of kind both made IPv6-only keeps its IPv6 test
// points (they become its only ones).
func kindOverride(known dnsbl.List, kind dnsbl.Kind) dnsbl.List {
	o := dnsbl.List{Name: known.Name, Kind: kind}
	if known.Kind == dnsbl.KindBoth && kind == dnsbl.KindIPv6 {
		o.TestListed, o.TestUnlisted = known.TestListedIPv6, known.TestUnlistedIPv6
	}
	return o
}

// checkFormat returns --format given after "check" or, failing that,
// before it (the global flag), checked against the formats check knows.
func checkFormat(c *cli.Context) (string, error) {
	f := c.String(flagFormat)
	if f == "" {
		if lineage := c.Lineage(); len(lineage) > 1 {
			f = lineage[1].String(flagFormat)
		}
	}
	switch f {
	case "text", "json", "nagios":
		return f, nil
	case "":
		return "text", nil
	}
	return "", fmt.Errorf("--%s %q: check supports text, json, nagios", flagFormat, f)
}

// thresholds are the listing counts for WARNING and CRITICAL.
type thresholds struct{ warning, critical int }

func checkThresholds(c *cli.Context) (thresholds, error) {
	th := thresholds{warning: c.Int(flagWarning), critical: c.Int(flagCritical)}
	if th.warning < 1 || th.critical < 1 {
		return th, fmt.Errorf("-w %d -c %d: thresholds are listing counts, at least 1", th.warning, th.critical)
	}
	if th.warning > th.critical {
		return th, fmt.Errorf("-w %d is above -c %d: the warning threshold must not exceed the critical one", th.warning, th.critical)
	}
	return th, nil
}
