package main

import "github.com/urfave/cli/v2"

// Flags of the notify command.
const (
	flagNotifyEvidence  = "evidence"
	flagNotifyCase      = "case"
	flagNotifyContacts  = "contacts"
	flagNotifyNoLookup  = "no-lookup"
	flagNotifyTemplate  = "template"
	flagNotifyTemplates = "templates"
	flagNotifyOut       = "out"
	flagNotifyMbox      = "mbox"
	flagNotifyStdout    = "stdout"
	flagNotifySend      = "send"
	flagNotifyYes       = "yes"
	flagNotifyTo        = "to"
	flagNotifyXARF      = "x-arf"
	flagNotifyList      = "list"
	flagNotifyListedIP  = "listed-ip"
	flagNotifyZone      = "zone"
	flagNotifyReason    = "reason"
	flagNotifyDelistURL = "delist-url"
	flagNotifyVendor    = "vendor"
	flagNotifyProduct   = "product"
	flagNotifyAccount   = "account"
	flagNotifySent      = "sent"
	flagNotifyMax       = "max"
)

// defaultNoticeDir is where a dry run writes its .eml files.
const defaultNoticeDir = "notices"

// notifyCommand renders, reviews and (when told) sends notices.
func notifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "notify",
		Usage:     "write notices to the abuse desks of hosts doing SMTP callbacks: review first, send only when told, never twice",
		ArgsUsage: " ",
		Description: "Reads the evidence (--evidence FILE, the JSON of `evidence scan`, or --case DIR from\n" +
			"`investigate`), finds each probing host's abuse contact (from the input, --contacts FILE, or a\n" +
			"WHOIS/RDAP lookup) and renders one notice per abuse desk, batching all its hosts' incidents.\n" +
			"A host without a contact still gets its notice, as a draft named NEEDS-RECIPIENT-*.\n" +
			"\n" +
			"Dry run by default: .eml files in --out DIR (default ./notices), or --mbox FILE, or --stdout.\n" +
			"--send delivers them (notify.transport: smtp or sendmail), after asking on a terminal; without a\n" +
			"terminal it refuses unless --yes. With --case DIR, --send sends the reviewed .eml files of the case\n" +
			"as they are (recipients from their To/Cc, X-Dnsblaudit-* fields removed), not a new rendering; a\n" +
			"file marked needs-review or a draft is sent only when named with --include-review FILE. --to ADDR sends every notice to ADDR instead (review copies,\n" +
			"not recorded as sent). What was sent is recorded in the state file: a desk is never told twice\n" +
			"about the same incident (prober IP, probed address, day), is left alone during its cool-down\n" +
			"(notify.cooldown), and a run sends at most notify.max_per_run notices.\n" +
			"\n" +
			"Templates: callback-notice (default), listing-evidence (to a list operator: --to, --list,\n" +
			"--listed-ip, --zone, --reason, --delist-url, or the case's listing), vendor-inquiry (--to,\n" +
			"--vendor, --product). docs/notify.md documents the template data and the configuration.\n" +
			"--sent lists what was sent (Message-ID, when, to whom, about which hosts).\n" +
			"Exit status: 0 done; 1 some notice needs a recipient or review, or was held back by the cap;\n" +
			"3 bad input, or a notice failed to send.",
		Flags:  notifyFlags(),
		Action: runNotify,
	}
}

func notifyFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: flagNotifyEvidence, Usage: "evidence `FILE` (- for stdin): the JSON of `dnsblaudit evidence scan --format json`"},
		&cli.StringFlag{Name: flagNotifyCase, Usage: "investigation case `DIR` (reads DIR/case.json)"},
		&cli.StringFlag{Name: flagNotifyContacts, Usage: "JSON `FILE` mapping prober IPs to abuse contacts (overrides lookups)"},
		&cli.BoolFlag{Name: flagNotifyNoLookup, Usage: "do not look up missing contacts (WHOIS/RDAP/DNS)"},
		&cli.StringFlag{Name: flagNotifyTemplate, Usage: "template `NAME`: callback-notice, listing-evidence, vendor-inquiry, or one of --templates"},
		&cli.StringFlag{Name: flagNotifyTemplates, Usage: "`DIR` of *.tmpl files overriding the built-in templates by name"},
		&cli.StringFlag{Name: flagNotifyOut, Usage: "write .eml files to `DIR` (dry run default: ./notices; with --send: copies of what was sent)"},
		&cli.StringFlag{Name: flagNotifyMbox, Usage: "dry run: append the notices to mbox `FILE` instead"},
		&cli.BoolFlag{Name: flagNotifyStdout, Usage: "dry run: print the notices (mbox format) on stdout instead"},
		&cli.BoolFlag{Name: flagNotifySend, Usage: "send the notices (without it: a dry run)"},
		&cli.BoolFlag{Name: flagNotifyYes, Usage: "with --send: do not ask for confirmation (unattended runs); never covers a notice that needs review"},
		&cli.StringSliceFlag{Name: flagNotifyIncludeReview, Usage: "with --send: also send `FILE` (its .eml name) although it needs review or was a draft; --yes never does (repeatable)"},
		&cli.StringFlag{Name: flagNotifyTo, Usage: "send every notice to `ADDR` instead (review copies); the recipient of listing-evidence and vendor-inquiry"},
		&cli.BoolFlag{Name: flagNotifyXARF, Usage: "refused: X-ARF 0.2 has no category for SMTP callouts (notices are plain text)"},
		&cli.StringFlag{Name: flagNotifyList, Usage: "listing-evidence: the list's `NAME`"},
		&cli.StringFlag{Name: flagNotifyListedIP, Usage: "listing-evidence: the listed `IP`"},
		&cli.StringFlag{Name: flagNotifyZone, Usage: "listing-evidence: the list's DNS `ZONE`"},
		&cli.StringFlag{Name: flagNotifyReason, Usage: "listing-evidence: the list's stated `REASON`"},
		&cli.StringFlag{Name: flagNotifyDelistURL, Usage: "listing-evidence: the list's removal `URL`"},
		&cli.StringFlag{Name: flagNotifyVendor, Usage: "vendor-inquiry: the vendor's `NAME`"},
		&cli.StringFlag{Name: flagNotifyProduct, Usage: "vendor-inquiry: the `PRODUCT`"},
		&cli.StringFlag{Name: flagNotifyAccount, Usage: "vendor-inquiry: your customer `NUMBER`"},
		&cli.StringFlag{Name: flagNotifyLogZone, Usage: "IANA `ZONE` the quoted log lines' stamps are in when they carry none (default: evidence.time_zone)"},
		&cli.IntFlag{Name: flagNotifyMax, Usage: "at most `N` notices this run", DefaultText: "notify.max_per_run, 25"},
		&cli.BoolFlag{Name: flagNotifySent, Usage: "list the notices sent so far (from the state file) and exit"},
	}
	return append(flags, notifyWhoisFlags()...)
}

// notifyWhoisFlags are the whois flags that make sense for lookups here.
func notifyWhoisFlags() []cli.Flag {
	keep := map[string]bool{flagWhoisServer: true, flagRDAPURL: true, flagDNSServer: true, flagLookupSpecial: true, flagNoCache: true, flagNoDomain: true}
	var out []cli.Flag
	for _, f := range whoisFlags() {
		if keep[f.Names()[0]] {
			out = append(out, f)
		}
	}
	return out
}

func runNotify(c *cli.Context) error {
	outFormat, err := format(c, "text", "json")
	if err != nil {
		return err
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(c)
	defer stop()
	if c.Bool(flagNotifySent) {
		return listSentNotices(ctx, c, cfg, outFormat)
	}
	run, err := newNotifyRun(c, cfg)
	if err != nil {
		return err
	}
	defer run.close()
	if run.send && c.String(flagNotifyCase) != "" {
		return run.sendReviewed(ctx, outFormat)
	}
	if err := run.load(ctx); err != nil {
		return err
	}
	if err := run.plan(ctx); err != nil {
		return err
	}
	if run.send {
		err = run.deliver(ctx)
	} else {
		err = run.review()
	}
	if err != nil {
		return err
	}
	if err := writeNotifySummary(c.App.Writer, c.App.ErrWriter, run, outFormat); err != nil {
		return err
	}
	return run.exit()
}
