package main

import (
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// progressMinLookups: below this a run is short and a bar only flickers.
const progressMinLookups = 500

// checkProgress draws a bar on stderr when it is a terminal and the run
// is long; otherwise it does nothing.
type checkProgress struct {
	w       io.Writer
	enabled bool
	bar     *progressbar.ProgressBar
}

func newCheckProgress(stderr io.Writer, outFormat string, off bool) *checkProgress {
	p := &checkProgress{w: stderr}
	if off || outFormat == "nagios" {
		return p
	}
	if f, ok := stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		p.enabled = true
	}
	return p
}

// update is the Checker's progress callback (called serially).
func (p *checkProgress) update(done, total int) {
	if !p.enabled || total < progressMinLookups {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("checking"),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
	}
	p.bar.Set(done) //nolint:errcheck // a progress bar that fails to draw is no error
}

func (p *checkProgress) finish() {
	if p.bar != nil {
		p.bar.Finish() //nolint:errcheck
	}
}
