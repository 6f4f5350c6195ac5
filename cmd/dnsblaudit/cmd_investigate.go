package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// investigateCommand is a placeholder until its issue lands.
func investigateCommand() *cli.Command {
	return &cli.Command{
		Name:   "investigate",
		Usage:  "(not yet implemented)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("investigate: not yet implemented") },
	}
}
