package rbldnsdtest

import (
	"bufio"
	"io"
	"regexp"
	"strings"
	"sync"
)

// logBuffer collects rbldnsd's output line by line and wakes waiters when
// a line arrives.
type logBuffer struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{} // closed and replaced on every new line
}

func newLogBuffer() *logBuffer { return &logBuffer{changed: make(chan struct{})} }

// consume reads r until EOF.
func (b *logBuffer) consume(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		b.mu.Lock()
		b.lines = append(b.lines, sc.Text())
		close(b.changed)
		b.changed = make(chan struct{})
		b.mu.Unlock()
	}
}

// snapshot returns the lines so far and a channel closed at the next one.
func (b *logBuffer) snapshot() ([]string, <-chan struct{}) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lines[:len(b.lines):len(b.lines)], b.changed
}

func (b *logBuffer) String() string {
	lines, _ := b.snapshot()
	return strings.Join(lines, "\n")
}

// Lines rbldnsd prints that the harness acts on (rbldnsd.c, zones.c).
const (
	msgStarted  = ") started ("      // "rbldnsd version X started (N socket(s), M zone(s))"
	msgReloaded = "zones reloaded"   // after every (re)load of changed files
	msgNotAll   = "not all datasets" // a zone was dropped for a load error
	msgInUse    = "Address already in use"
)

// fileProblem matches rbldnsd's complaint about one line of a data file:
// "rbldnsd: file NAME(LINE): MESSAGE".
var fileProblem = regexp.MustCompile(`file ([^()]+)\((\d+)\): (.*)$`)

// count returns how many lines contain s.
func count(lines []string, s string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// nthIndex is the index of the line just after the n-th line containing s
// (0 when n is 0).
func nthIndex(lines []string, s string, n int) int {
	if n == 0 {
		return 0
	}
	for i, l := range lines {
		if strings.Contains(l, s) {
			n--
			if n == 0 {
				return i + 1
			}
		}
	}
	return len(lines)
}

// problems returns the data-file complaints and dropped zones among lines.
func problems(lines []string) []string {
	var out []string
	for _, l := range lines {
		if fileProblem.MatchString(l) || strings.Contains(l, msgNotAll) {
			out = append(out, strings.TrimPrefix(l, "rbldnsd: "))
		}
	}
	return out
}
