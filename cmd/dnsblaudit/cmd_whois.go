package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// whoisTestOptions are appended to the Finder's options. Only tests set
// them: an HTTP client that plays the real registries' RDAP hosts on
// loopback fakes, to check the servers the embedded bootstrap picks.
var whoisTestOptions []whoisctx.Option

// whoisCommand finds the abuse contacts of IP addresses and domains.
func whoisCommand() *cli.Command {
	return &cli.Command{
		Name:      "whois",
		Usage:     "find the abuse contact of IP addresses and domains (RDAP, WHOIS, DNS sources), with provenance",
		ArgsUsage: "IP|DOMAIN...",
		Description: "For an IP address: Team Cymru names the registry and covering prefix, RDAP gives the\n" +
			"abuse entities, WHOIS at the registry fills the gaps (referrals are never followed blindly),\n" +
			"Abusix cross-checks; the forward-confirmed reverse name adds its domain's contacts (abuse.net,\n" +
			"registrar). For a domain: the registrar's abuse contact and abuse.net. abuse@DOMAIN (RFC 2142)\n" +
			"appears only as a labelled last resort. Private, reserved and documentation ranges are\n" +
			"answered locally unless --whois-server or --rdap-url names a registry to ask.\n" +
			"Answers are cached by covering prefix in the state file (--state, --no-cache).\n" +
			"Output: --format text (contacts ranked, source shown), json (docs/whois-json.md), or\n" +
			"contacts (an object query -> contacts, the file `notify --contacts` reads);\n" +
			"--raw adds the registries' answers. Exit status: 0 every query has a contact, 1 some query\n" +
			"has none or only contacts that need review (or a registry rate-limited us), 3 bad input.",
		Flags:  whoisFlags(),
		Action: runWhois,
	}
}

func runWhois(c *cli.Context) error {
	outFormat, err := format(c, "text", "json", "contacts")
	if err != nil {
		return err
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(c)
	defer stop()
	if c.Bool(flagRefreshBootstrap) {
		return refreshBootstrap(c, cfg)
	}
	if c.NArg() == 0 {
		return withCode(exitUnknown, "whois: name at least one IP address or domain")
	}
	wcfg, err := whoisConfig(c, cfg)
	if err != nil {
		return err
	}
	opts, closeCache := whoisCache(c, cfg)
	defer closeCache()
	// The DNS sources share dnsbl's socket layer (one DNS client for the
	// whole program).
	dnsT := dnsbl.NewNetTransport()
	defer dnsT.Close()
	opts = append(opts, whoisctx.WithTransport(dnsT))
	opts = append(opts, whoisTestOptions...)
	f, err := whoisctx.New(wcfg, opts...)
	if err != nil {
		return fmt.Errorf("whois: %w", err)
	}
	results, err := lookupAll(ctx, f, c.Args().Slice())
	if err != nil {
		return err
	}
	if err := writeWhois(c.App.Writer, results, outFormat, c.Bool(flagRaw)); err != nil {
		return err
	}
	return whoisExit(results)
}
