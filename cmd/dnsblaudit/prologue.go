package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"
)

// signalContext is the command's context, cancelled on SIGINT or SIGTERM so
// a run stops cleanly (closing its state file, reporting what it did)
// instead of dying mid-write. Call stop when the command ends.
func signalContext(c *cli.Context) (ctx context.Context, stop context.CancelFunc) {
	return signal.NotifyContext(contextOf(c), os.Interrupt, syscall.SIGTERM)
}
