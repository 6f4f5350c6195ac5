package main

import (
	"io"

	"github.com/urfave/cli/v2"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// newApp builds the command tree. Commands live one per file (cmd_*.go);
// each turns its flags into a plain Config for a library package.
func newApp(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:      "dnsblaudit",
		Usage:     "check mail IPs against DNS blocklists and investigate why they are listed",
		Version:   version,
		Flags:     globalFlags(),
		Before:    before,
		Writer:    stdout,
		ErrWriter: stderr,
		// Errors are turned into exit codes in one place: run().
		ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{
			checkCommand(),
			demoCommand(),
			watchCommand(),
			historyCommand(),
			serveCommand(),
			evidenceCommand(),
			whoisCommand(),
			notifyCommand(),
			investigateCommand(),
			bounceCommand(),
		},
	}
	inheritGlobalFlags(app.Commands)
	return app
}

// run executes the app and maps its error to an exit code.
func run(args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, stderr)
	err := app.Run(args)
	return exitCode(err, stderr)
}
