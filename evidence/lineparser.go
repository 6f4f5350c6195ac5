package evidence

import (
	"errors"
	"fmt"
	"time"
)

// Errors of LineParser.Parse.
var (
	// ErrMalformed: the line looks like a known format but is broken.
	ErrMalformed = errors.New("malformed line")
	// ErrUnknownLine: the line comes from a program or has a shape this
	// package does not read.
	ErrUnknownLine = errors.New("unknown line")
)

// LineParser parses the lines of one input one at a time, in order, so that
// RFC 3164 years are inferred as Scan does. It is the lower level of Scan,
// for tests and for tools that read lines from elsewhere.
type LineParser struct {
	format Format
	zone   *time.Location
	file   string
	line   int
	guess  yearGuess
}

// NewLineParser reads lines of format f (FormatAuto or FormatSyslog: pick
// the parser per line by syslog tag). Stamps without a zone are read in
// zone; ref is the reference for RFC 3164 years (the file's mtime).
func NewLineParser(f Format, zone *time.Location, ref time.Time, file string) *LineParser {
	if zone == nil {
		zone = time.Local
	}
	if f == FormatAuto {
		f = FormatSyslog
	}
	return &LineParser{format: f, zone: zone, file: file, guess: yearGuess{ref: ref.In(zone)}}
}

// Parse reads the next line. A line that is well formed but carries
// nothing of interest returns no events and no error.
func (p *LineParser) Parse(line string) ([]Event, error) {
	p.line++
	ev := Event{File: p.file, Line: p.line, Raw: line, Count: -1}
	evs, st := parseInto(modeOf(p.format), line, &ev, nil, nil)
	switch st {
	case lineMalformed:
		return nil, fmt.Errorf("%s:%d: %w", p.file, p.line, ErrMalformed)
	case lineUnknown:
		return nil, fmt.Errorf("%s:%d: %w", p.file, p.line, ErrUnknownLine)
	}
	for i := range evs {
		evs[i].Time = evs[i].stamp.resolve(p.zone, &p.guess)
		evs[i].fillLazy() // callers see every field filled in
	}
	return evs, nil
}
