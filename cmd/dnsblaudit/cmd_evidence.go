package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// evidenceCommand groups the log-evidence subcommands.
func evidenceCommand() *cli.Command {
	return &cli.Command{
		Name:  "evidence",
		Usage: "find SMTP callout probes and forged-sender campaigns in your own mail logs",
		Subcommands: []*cli.Command{
			evidenceScanCommand(),
		},
	}
}

func evidenceScanCommand() *cli.Command {
	return &cli.Command{
		Name:      "scan",
		Usage:     "scan mail logs for callout probes against your MX and the forged senders behind them",
		ArgsUsage: "[LOG...] (files, globs, gzip/bzip2 rotations, - for stdin; default: evidence.logs in the config)",
		Description: "Reads OpenBSD spamd logs and spamdb dumps, Postfix, Exim, Sendmail and OpenSMTPD logs\n" +
			"(format sniffed per file, or --log-format), assembles SMTP sessions and reports the hosts\n" +
			"that probed the own domains with callouts (null or probe sender, RCPT only, no DATA),\n" +
			"ranked, with the raw log lines; own-domain senders used from outside the own networks\n" +
			"(forged), bounces to own addresses never used (backscatter), and which probes followed\n" +
			"a forgery of the address they asked for. Output: --format text (summary), json\n" +
			"(docs/evidence-json.md) or csv (one event per row). Malformed lines are counted and\n" +
			"reported, never fatal. Exit status: 0 done, 3 no input could be read or bad options.",
		Flags:  evidenceScanFlags(),
		Action: runEvidenceScan,
	}
}

func runEvidenceScan(c *cli.Context) error {
	outFormat, err := evidenceFormat(c)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	opts, err := evidenceOptions(c, cfg)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(c)
	defer stop()
	tuneGCForScan()
	rep, err := evidence.Scan(ctx, opts)
	if errors.Is(err, evidence.ErrNoInput) && rep != nil {
		writeEvidenceInputErrors(c.App.ErrWriter, rep)
		return withCode(exitUnknown, err.Error())
	}
	if err != nil {
		return err
	}
	return writeEvidence(c.App.Writer, rep, outFormat)
}
