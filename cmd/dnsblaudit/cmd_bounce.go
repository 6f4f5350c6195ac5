package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/bounce"
)

// Flags of bounce.
const flagBlocklistedOnly = "blocklisted"

// bounceCommand reads bounces and names the lists their rejections blame
// (issue 15; docs/bounce-json.md).
func bounceCommand() *cli.Command {
	return &cli.Command{
		Name:      "bounce",
		Usage:     "read bounces (.eml, mbox, Maildir) and name the blocklists their rejections blame",
		ArgsUsage: "FILE|DIR...",
		Description: "Reads delivery failure reports from message files, mbox files and Maildir or other folders\n" +
			"(CRLF, LF or CR line endings; quoted-printable and base64 parts), finds each failed recipient with\n" +
			"its status, remote MTA and diagnostic, and tells whether the rejection blames a blocklist or the\n" +
			"sender's reputation: which list (from a catalogue of rejection wordings, each with its source),\n" +
			"the listed IP or domain, where to ask for delisting, and whether the list is also a DNS list and\n" +
			"its state in the DNS catalogue (a dead list says since when). Output: --format text or json\n" +
			"(docs/bounce-json.md). Exit status: 0 no rejection blames a list, 2 at least one does, 3 nothing\n" +
			"could be read or bad options.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: flagBlocklistedOnly, Usage: "show only the failures whose rejection blames a list"},
		},
		Action: runBounce,
	}
}

func runBounce(c *cli.Context) error {
	outFormat, err := format(c, "text", "json")
	if err != nil {
		return err
	}
	if c.NArg() == 0 {
		return errors.New("bounce: want at least one FILE or DIR")
	}
	ctx, stop := signalContext(c)
	defer stop()
	rep, err := bounce.ReadPaths(ctx, c.Args().Slice(), bounce.NewClassifier(nil, nil))
	if err != nil {
		if rep != nil {
			writeBounceProblems(c.App.ErrWriter, rep.Problems)
		}
		return err
	}
	listed := len(rep.Blocklistings())
	if c.Bool(flagBlocklistedOnly) {
		rep.Failures = rep.Blocklistings()
	}
	if outFormat == "json" {
		err = writeIndentedJSON(c.App.Writer, bounceJSON(rep))
	} else {
		err = writeBounceText(c.App.Writer, rep, listed)
	}
	if err != nil {
		return err
	}
	if listed > 0 {
		return withCode(exitCritical, "")
	}
	return nil
}
