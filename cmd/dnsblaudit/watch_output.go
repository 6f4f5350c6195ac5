package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// watchPrinter writes each run's changes: text for a person (and for the
// mail cron sends when a job prints anything), or JSON lines
// (docs/watch-json.md). Nothing is printed for a run without changes
// unless summary is set.
type watchPrinter struct {
	w, errw io.Writer
	format  string
	summary bool
}

// watchSchema names the JSON lines' schema (docs/watch-json.md).
const watchSchema = "dnsblaudit.watch/v1"

// changeLine and runLine are the JSON lines; "event" tells them apart.
type changeLine struct {
	Schema string `json:"schema"`
	Event  string `json:"event"` // "change"
	watch.Change
}

type runLine struct {
	Schema string `json:"schema"`
	Event  string `json:"event"` // "run"
	*watch.Report
}

// print writes one run (the --every loop); errors go to stderr and the
// loop goes on.
func (p *watchPrinter) print(rep *watch.Report, err error) {
	if rep != nil {
		p.report(rep)
	}
	if err != nil {
		fmt.Fprintln(p.errw, "dnsblaudit: watch: "+textsafe.Line(err.Error()))
	}
}

// finish writes a single run and turns it into the exit status.
func (p *watchPrinter) finish(rep *watch.Report, err error) error {
	if rep == nil {
		return err
	}
	p.report(rep)
	if errors.Is(err, watch.ErrAlert) {
		return withCode(exitUnknown, err.Error())
	}
	for _, w := range rep.Warnings {
		fmt.Fprintln(p.errw, "dnsblaudit: warning: "+textsafe.Line(w))
	}
	switch {
	case rep.HasListing():
		return withCode(exitCritical, "")
	case rep.HasWarning():
		return withCode(exitWarning, "")
	}
	return nil
}

func (p *watchPrinter) report(rep *watch.Report) {
	if p.format == "json" {
		p.jsonLines(rep)
		return
	}
	for _, c := range rep.Changes {
		c.WriteText(p.w)
	}
	if p.summary || len(rep.Changes) > 0 {
		fmt.Fprintf(p.w, "run %d at %s: %d target(s), %d list(s): %s; %d change(s)\n", rep.RunID,
			rep.Finished.UTC().Format(time.RFC3339), rep.Targets, rep.Lists, rep.CountsLine(), len(rep.Changes))
	}
}

func (p *watchPrinter) jsonLines(rep *watch.Report) {
	enc := json.NewEncoder(jsonSafe(p.w))
	for _, c := range rep.Changes {
		enc.Encode(changeLine{Schema: watchSchema, Event: "change", Change: c})
	}
	if p.summary {
		enc.Encode(runLine{Schema: watchSchema, Event: "run", Report: rep})
	}
}
