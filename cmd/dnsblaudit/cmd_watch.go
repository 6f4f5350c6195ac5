package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// watchCommand is a placeholder until its issue lands.
func watchCommand() *cli.Command {
	return &cli.Command{
		Name:   "watch",
		Usage:  "(not yet implemented)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("watch: not yet implemented") },
	}
}
