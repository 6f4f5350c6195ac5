package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// evidenceCommand is a placeholder until its issue lands.
func evidenceCommand() *cli.Command {
	return &cli.Command{
		Name:   "evidence",
		Usage:  "(not yet implemented)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("evidence: not yet implemented") },
	}
}
