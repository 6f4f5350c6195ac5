package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/state"
)

// historyCommand prints the listing timeline recorded by watch and serve.
func historyCommand() *cli.Command {
	return &cli.Command{
		Name:      "history",
		Usage:     "show the listing timeline per target and list",
		ArgsUsage: "[TARGET] (an address, a domain or a CIDR; default: all)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "list", Usage: "only this list (its short name)"},
			&cli.IntFlag{Name: "runs", Usage: "also show the last `N` runs (when, source, verdict counts)", DefaultText: "none"},
		},
		Action: runHistory,
	}
}

func runHistory(c *cli.Context) error {
	cfg, err := loadConfig(c)
	if err != nil {
		return err
	}
	outFormat, err := format(c, "text", "json")
	if err != nil {
		return err
	}
	if c.Args().Len() > 1 {
		return fmt.Errorf("history takes at most one target, got %d", c.Args().Len())
	}
	sel, err := parseHistoryTarget(c.Args().First())
	if err != nil {
		return err
	}
	path, err := statePath(c, cfg)
	if err != nil {
		return err
	}
	db, err := state.Open(c.Context, path, state.Options{MustExist: true})
	if errors.Is(err, state.ErrNotExist) {
		return fmt.Errorf("no history yet: %s does not exist (run watch first, or give --%s)", path, flagState)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	h, err := loadHistory(c.Context, db, sel, c.String("list"))
	if err != nil {
		return err
	}
	if n := c.Int("runs"); n > 0 {
		if h.Recent, err = db.Runs(c.Context, n); err != nil {
			return err
		}
	}
	if outFormat == "json" {
		return writeHistoryJSON(c.App.Writer, h)
	}
	writeHistoryText(c.App.Writer, h)
	return nil
}
