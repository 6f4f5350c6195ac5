package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// serveCommand is a placeholder until its issue lands.
func serveCommand() *cli.Command {
	return &cli.Command{
		Name:   "serve",
		Usage:  "(not yet implemented)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("serve: not yet implemented") },
	}
}
