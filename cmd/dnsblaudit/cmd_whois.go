package main

import (
	"errors"

	"github.com/urfave/cli/v2"
)

// whoisCommand is a placeholder until its issue lands.
func whoisCommand() *cli.Command {
	return &cli.Command{
		Name:   "whois",
		Usage:  "(not yet implemented)",
		Hidden: true,
		Action: func(*cli.Context) error { return errors.New("whois: not yet implemented") },
	}
}
