package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// historyCommand is a placeholder until its issue lands.
func historyCommand() *cli.Command {
	return &cli.Command{
		Name:   "history",
		Usage:  "(not yet implemented)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("history: not yet implemented") },
	}
}
