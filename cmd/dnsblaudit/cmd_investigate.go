package main

import (
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// investigateCommand ties check, evidence, whois and notify into one case
// directory (issue 7; docs/case-json.md).
func investigateCommand() *cli.Command {
	return &cli.Command{
		Name:      "investigate",
		Usage:     "from one listing to a case: check, history, logs, abuse contacts, hypothesis, notices for review",
		ArgsUsage: "IP",
		Description: "Checks IP (and the own domains) now and reads when each listing began from the state database;\n" +
			"scans the configured logs from 3 days before the listing start (--since/--until) for SMTP callouts\n" +
			"and forged senders; looks up the abuse contact of every prober; states the hypothesis the evidence\n" +
			"supports; and writes case.json, report.md, report.html and the rendered notices (not sent) to --out.\n" +
			"Exit status: 0 when the case was written, whatever it found; 3 when it could not be built.",
		Flags:  investigateFlags(),
		Action: runInvestigate,
	}
}

func runInvestigate(c *cli.Context) error {
	if _, err := format(c, "text", "json"); err != nil {
		return err
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	subject, bounced, err := investigateSubject(c)
	if err != nil {
		return err
	}
	req, err := investigateRequest(c, subject, cfg.OwnDomains)
	if err != nil {
		return err
	}
	req.Bounces = bounced
	if r := c.String(flagResolver); r != "" {
		cfg.DNSBL.Resolver, cfg.Whois.DNSServers = r, []string{r}
	}
	now := time.Now
	w := wiring{dnsbl: cfg.DNSBL, whois: cfg.Whois, noWhois: c.Bool(flagNoWhois), now: now}
	if !c.Bool(flagNoHistory) {
		if w.statePath, err = statePath(c, cfg); err != nil {
			return err
		}
	}
	scanner, err := newScanner(cfg, c.StringSlice(flagLog), req.Domains, now)
	if err != nil {
		return err
	}
	b, err := w.build(c.Context, scanner)
	if err != nil {
		return err
	}
	defer b.Close()
	kase, err := b.inv.Run(c.Context, req)
	if err != nil {
		return err
	}
	dir := c.String(flagOut)
	if dir == "" {
		dir = defaultCaseDir(subject, kase.Created)
	}
	var nr investigate.NoticeRenderer
	if !c.Bool(flagNoNotices) {
		if nr, err = newNoticeRenderer(cfg.Notify, cfg.Evidence.TimeZone, now); err != nil {
			return err
		}
	}
	if err := investigate.WriteDir(c.Context, dir, kase, nr); err != nil {
		return err
	}
	if c.String(flagFormat) == "json" {
		return investigate.WriteJSON(c.App.Writer, kase)
	}
	printCase(c.App.Writer, kase, dir)
	return nil
}

// investigateRequest turns the flags into a Request; the own domains come
// from --domain, else from the configuration.
func investigateRequest(c *cli.Context, subject string, ownDomains []string) (investigate.Request, error) {
	req := investigate.Request{Subject: subject, Domains: ownDomains, Lookback: c.Duration(flagLookback)}
	if d := c.StringSlice(flagDomain); len(d) > 0 {
		req.Domains = d
	}
	var err error
	if req.Since, err = parseWhen(flagSince, c.String(flagSince)); err != nil {
		return req, err
	}
	if req.Until, err = parseWhen(flagUntil, c.String(flagUntil)); err != nil {
		return req, err
	}
	if !req.Since.IsZero() && !req.Until.IsZero() && !req.Since.Before(req.Until) {
		return req, errSinceAfterUntil
	}
	return req, nil
}
