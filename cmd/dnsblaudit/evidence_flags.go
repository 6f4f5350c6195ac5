package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/config"
	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// Flags of evidence scan.
const (
	evFlagDomain     = "domain"
	evFlagNetwork    = "network"
	evFlagSince      = "since"
	evFlagUntil      = "until"
	evFlagLogFormat  = "log-format"
	evFlagTimeZone   = "time-zone"
	evFlagLinkWindow = "link-window"
)

func evidenceScanFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagFormat, Usage: "output `FORMAT`: text, json, csv (also accepted before the command)"},
		&cli.StringSliceFlag{Name: evFlagDomain, Usage: "own `DOMAIN`, repeatable (default: own_domains in the config)", EnvVars: envVar("evidence-domain")},
		&cli.StringSliceFlag{Name: evFlagNetwork, Usage: "own sending network `CIDR` or IP, repeatable (default: own_networks in the config)", EnvVars: envVar("evidence-network")},
		&cli.StringFlag{Name: evFlagSince, Usage: "only events from `WHEN`: RFC 3339, 2006-01-02[ 15:04[:05]] (in --time-zone), or an age such as 72h or 7d"},
		&cli.StringFlag{Name: evFlagUntil, Usage: "only events until `WHEN` (same forms as --since)"},
		&cli.StringFlag{Name: evFlagLogFormat, Usage: "force the log `FORMAT` of every input: " + formatList() + " (default: sniffed per file)", EnvVars: envVar(evFlagLogFormat)},
		&cli.StringFlag{Name: evFlagTimeZone, Usage: "IANA `ZONE` of log stamps without one, and of the report (default: evidence.time_zone, else local)", EnvVars: envVar("evidence-time-zone")},
		&cli.DurationFlag{Name: evFlagLinkWindow, Usage: "how long before a probe a forged use of its address counts as the cause (default: evidence.link_window, else 24h)"},
	}
}

func formatList() string {
	names := make([]string, len(evidence.Formats))
	for i, f := range evidence.Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// evidenceFormat is --format given after the command, else before it.
func evidenceFormat(c *cli.Context) (string, error) {
	f := c.String(flagFormat)
	if f == "" {
		if lineage := c.Lineage(); len(lineage) > 1 {
			for _, l := range lineage[1:] {
				if v := l.String(flagFormat); v != "" {
					f = v
					break
				}
			}
		}
	}
	switch f {
	case "", "text":
		return "text", nil
	case "json", "csv":
		return f, nil
	}
	return "", fmt.Errorf("--%s %q: evidence scan supports text, json, csv", flagFormat, f)
}

// evidenceOptions turns flags and configuration into ScanOptions; flags win.
func evidenceOptions(c *cli.Context, cfg *config.Config) (evidence.ScanOptions, error) {
	ec := cfg.Evidence
	if v := c.String(evFlagTimeZone); v != "" {
		ec.TimeZone = v
	}
	if v := c.String(evFlagLogFormat); v != "" {
		ec.Format = v
	}
	if v := c.Duration(evFlagLinkWindow); v != 0 {
		ec.LinkWindow = v
	}
	domains, networks := cfg.OwnDomains, cfg.OwnNetworks
	if v := c.StringSlice(evFlagDomain); len(v) > 0 {
		domains = v
	}
	if v := c.StringSlice(evFlagNetwork); len(v) > 0 {
		networks = v
	}
	o, err := evidence.OptionsFromConfig(ec, domains, networks, c.Args().Slice())
	if err != nil {
		return o, err
	}
	if len(o.Inputs) == 0 {
		return o, errors.New("evidence scan: name the logs to read (or set evidence.logs in the config)")
	}
	if _, err := evidence.ParseNetworks(networks); err != nil {
		return o, err
	}
	now := time.Now()
	if o.Since, err = parseEvidenceWhen(evFlagSince, c.String(evFlagSince), now, o.Zone); err != nil {
		return o, err
	}
	if o.Until, err = parseEvidenceWhen(evFlagUntil, c.String(evFlagUntil), now, o.Zone); err != nil {
		return o, err
	}
	if !o.Since.IsZero() && !o.Until.IsZero() && !o.Since.Before(o.Until) {
		return o, fmt.Errorf("--%s must be before --%s", evFlagSince, evFlagUntil)
	}
	return o, nil
}

// evidenceTimeLayouts are the absolute forms of --since/--until.
var evidenceTimeLayouts = []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

// parseEvidenceWhen reads RFC 3339, a date and time in loc (the zone of the
// logs), or an age before now ("72h", "90m", "7d").
func parseEvidenceWhen(flag, s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, l := range evidenceTimeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	if d, ok := parseAge(s); ok {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--%s %q: want RFC 3339, 2026-11-20[ 12:00[:00]], or an age such as 72h or 7d", flag, s)
}

// parseAge reads a Go duration or a number of days ("7d").
func parseAge(s string) (time.Duration, bool) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100000 {
			return 0, false
		}
		return time.Duration(n) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, false
	}
	return d, true
}
