package main

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
)

// Flags of investigate (and of the demo, which runs an investigation).
const (
	flagSince     = "since"
	flagUntil     = "until"
	flagLookback  = "lookback"
	flagOut       = "out"
	flagLog       = "log"
	flagDomain    = "domain"
	flagNoHistory = "no-history"
	flagNoWhois   = "no-whois"
	flagNoNotices = "no-notices"
)

func investigateFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagSince, Usage: "scan logs from `TIME` (RFC 3339, or 2006-01-02[ 15:04[:05]] in UTC; default: --lookback before the listing start)", EnvVars: envVar(flagSince)},
		&cli.StringFlag{Name: flagUntil, Usage: "scan logs until `TIME` (default: now)", EnvVars: envVar(flagUntil)},
		&cli.DurationFlag{Name: flagLookback, Value: 72 * time.Hour, Usage: "how far before the listing start to read the logs", EnvVars: envVar(flagLookback)},
		&cli.StringFlag{Name: flagOut, Aliases: []string{"o"}, Usage: "case `DIR` to write (default: ./case-IP-TIME)", EnvVars: envVar(flagOut)},
		&cli.StringSliceFlag{Name: flagLog, Usage: "log `FILE` to scan, repeatable (default: evidence.logs in the config)", EnvVars: envVar(flagLog)},
		&cli.StringSliceFlag{Name: flagDomain, Usage: "own `DOMAIN`, repeatable (default: own_domains in the config)", EnvVars: envVar(flagDomain)},
		&cli.BoolFlag{Name: flagNoHistory, Usage: "do not read listing starts from the state database"},
		&cli.BoolFlag{Name: flagNoWhois, Usage: "do not look up abuse contacts"},
		&cli.BoolFlag{Name: flagNoNotices, Usage: "do not render notices into the case directory"},
		bounceFlag(),
		&cli.StringFlag{Name: flagResolver, Usage: "DNS resolver `HOST:PORT` for the blocklist checks and the DNS sources of abuse contacts (overrides dnsbl.resolver and whois.dns_servers)", EnvVars: envVar(flagResolver)},
	}
}

// errSinceAfterUntil: an empty window is a mistake, not an empty case.
var errSinceAfterUntil = errors.New("--since must be before --until")

// timeLayouts are the forms --since and --until accept; all but RFC 3339
// are read as UTC, so a case never depends on the machine's zone.
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

// parseWhen reads a --since/--until value; empty is the zero time.
func parseWhen(flag, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--%s %q: want RFC 3339 (2026-11-20T12:00:00Z) or 2026-11-20[ 12:00[:00]] (UTC)", flag, s)
}

// subjectArg is the one IP investigate takes.
func subjectArg(c *cli.Context) (string, error) {
	if c.NArg() != 1 {
		return "", fmt.Errorf("investigate: want exactly one IP address, got %d arguments", c.NArg())
	}
	a, err := netip.ParseAddr(c.Args().First())
	if err != nil {
		return "", fmt.Errorf("investigate %q: not an IP address", c.Args().First())
	}
	return a.Unmap().String(), nil
}

// defaultCaseDir names a case directory after the IP and the time, so
// successive investigations never overwrite each other.
func defaultCaseDir(ip string, now time.Time) string {
	return "case-" + strings.ReplaceAll(ip, ":", "_") + "-" + now.UTC().Format("20060102-150405")
}
