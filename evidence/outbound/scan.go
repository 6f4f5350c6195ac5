package outbound

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

var zeroTime time.Time

// Options say what to read and how to date it.
type Options struct {
	Files []string
	// Zone dates stamps that carry none (RFC 3164 syslog, Exim without
	// log_timezone) and names the days counted; nil: UTC.
	Zone *time.Location
	// YearReference dates year-less stamps; zero: each file's mtime.
	YearReference time.Time
	// Since and Until bound the log time read (zero: unbounded).
	Since, Until time.Time
	// MaxLineBytes caps a line (default 64 KiB); longer lines are malformed.
	MaxLineBytes int
	// OwnNetworks are the operator's hosts: mail and probes to them stay
	// inside (a gateway verifying recipients at its own MX, a relay to
	// the internal mail store) and are not counted as sent to others.
	OwnNetworks []netip.Prefix
}

// Scan reads every file and returns what the MX sent. A file that cannot
// be read is named in the report, not an error; only a cancelled context
// is.
func Scan(ctx context.Context, o Options) (*Report, error) {
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = 64 << 10
	}
	a := newAggregator(o.Zone)
	a.own = o.OwnNetworks
	for _, f := range o.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fs := a.readFile(ctx, f, o)
		a.rep.Files = append(a.rep.Files, fs)
	}
	return a.finish(), nil
}

func (a *aggregator) readFile(ctx context.Context, path string, o Options) FileStats {
	fs := FileStats{File: path}
	f, err := os.Open(path)
	if err != nil {
		fs.Error = err.Error()
		return fs
	}
	defer f.Close()
	ref := o.YearReference
	if ref.IsZero() {
		if fi, err := f.Stat(); err == nil {
			ref = fi.ModTime()
		}
	}
	r, err := decompress(f)
	if err != nil {
		fs.Error = err.Error()
		return fs
	}
	a.rep.Read = true
	a.read(ctx, r, path, ref, o, &fs)
	return fs
}

// decompress undoes gzip (RFC 1952 magic 1f 8b), as rotated logs are.
func decompress(f io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(f, 64<<10)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, nil
	}
	return br, nil
}

func (a *aggregator) read(ctx context.Context, r io.Reader, file string, ref time.Time, o Options, fs *FileStats) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), o.MaxLineBytes)
	n := 0
	for sc.Scan() {
		n++
		if n%4096 == 0 && ctx.Err() != nil {
			return
		}
		if b := sc.Bytes(); interesting(b) {
			a.line(string(b), Line{File: file, Line: n}, ref, o, fs)
		}
	}
	fs.Lines = n
	a.rep.Lines += n
	if err := sc.Err(); err != nil {
		// An over-long line ends bufio.Scanner: count it, say why.
		fs.Malformed++
		a.rep.Malformed++
		fs.Error = fmt.Sprintf("line %d: %v", n+1, err)
	}
}

// markers are the byte strings at least one of which every line this
// package reads holds; other lines (connect, disconnect, NOQUEUE
// statistics, cleanup, spamd…) are counted but not parsed, and so never
// counted as malformed either.
var markers = [][]byte{[]byte("to=<"), []byte("client="), []byte("from=<"), []byte("notification: "), []byte(": removed"),
	[]byte(" <= "), []byte(" => "), []byte(" -> "), []byte(" ** "), []byte(" == "), []byte("verify "), []byte(" Completed")}

func interesting(b []byte) bool {
	for _, m := range markers {
		if bytes.Contains(b, m) {
			return true
		}
	}
	return false
}

// Parse reads one line; it is exported for the fuzz target and for
// callers that hold lines already. ok is false for a malformed line.
func Parse(line string, zone *time.Location, ref time.Time) (t time.Time, ok bool) {
	t, _, ok = parseLine(line, zone, ref)
	return t, ok
}

func (a *aggregator) line(raw string, at Line, ref time.Time, o Options, fs *FileStats) {
	t, r, ok := parseLine(raw, o.Zone, ref)
	if !ok {
		if raw != "" {
			fs.Malformed++
			a.rep.Malformed++
		}
		return
	}
	if r.kind == recNone {
		return
	}
	if (!o.Since.IsZero() && t.Before(o.Since)) || (!o.Until.IsZero() && t.After(o.Until)) {
		a.rep.Skipped++
		return
	}
	at.Raw = textsafe.Clip(raw, 2000)
	if a.add(r, t, at) {
		fs.Outbound++
		a.rep.Outbound++
	}
}
