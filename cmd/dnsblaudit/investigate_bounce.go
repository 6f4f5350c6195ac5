package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/bounce"
)

// flagBounce starts an investigation from bounces (issue 15).
const flagBounce = "bounce"

func bounceFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: flagBounce, Usage: "start from the bounces in `FILE` (.eml, mbox or Maildir, repeatable): the listing and its time come from the rejection, the IP from the rejection unless given", EnvVars: envVar(flagBounce)}
}

// investigateSubject is the IP to investigate and, with --bounce, the
// rejections that blame a list. Without an IP argument the rejections
// must quote exactly one address.
func investigateSubject(c *cli.Context) (string, []bounce.Failure, error) {
	paths := c.StringSlice(flagBounce)
	if len(paths) == 0 {
		s, err := subjectArg(c)
		return s, nil, err
	}
	rep, err := bounce.ReadPaths(contextOf(c), paths, bounce.NewClassifier(nil, nil))
	if err != nil {
		return "", nil, fmt.Errorf("investigate --bounce: %w", err)
	}
	listed := rep.Blocklistings()
	if len(listed) == 0 {
		return "", nil, fmt.Errorf("investigate --bounce %s: no rejection in %d messages blames a list", strings.Join(paths, " "), rep.Messages)
	}
	if c.NArg() > 0 {
		s, err := subjectArg(c)
		return s, listed, err
	}
	ips := listedIPs(listed)
	switch len(ips) {
	case 1:
		return ips[0], listed, nil
	case 0:
		return "", nil, fmt.Errorf("investigate --bounce: the rejections quote no IP address: give the IP to investigate")
	default:
		return "", nil, fmt.Errorf("investigate --bounce: the rejections quote %s: give the IP to investigate", strings.Join(ips, ", "))
	}
}

func listedIPs(fs []bounce.Failure) []string {
	var ips []string
	seen := map[string]bool{}
	for _, f := range fs {
		if f.ListedIP != "" && !seen[f.ListedIP] {
			seen[f.ListedIP] = true
			ips = append(ips, f.ListedIP)
		}
	}
	return ips
}
