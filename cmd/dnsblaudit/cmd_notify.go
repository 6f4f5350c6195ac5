package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// notifyCommand is a placeholder until its issue lands.
func notifyCommand() *cli.Command {
	return &cli.Command{
		Name:   "notify",
		Usage:  "(not yet implemented)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("notify: not yet implemented") },
	}
}
