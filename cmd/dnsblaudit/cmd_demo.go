package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// demoCommand is a placeholder until its issue lands.
func demoCommand() *cli.Command {
	return &cli.Command{
		Name:   "demo",
		Usage:  "(not yet implemented)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("demo: not yet implemented") },
	}
}
