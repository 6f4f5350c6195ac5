package evidence

import (
	"errors"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"slices"
	"time"
)

// ErrBadStamp is returned when a line does not start with a time stamp of
// any style this package reads.
var ErrBadStamp = errors.New("no recognisable time stamp")

// stampStyle tells how a stamp was written, which decides whether the year
// and the zone come from the line or must be supplied.
type stampStyle uint8

const (
	stampNone    stampStyle = iota
	stampRFC3164            // "Aug 19 14:35:27": no year, no zone (RFC 3164 §4.1.2)
	stampISO                // RFC 3339 / RFC 5424 / journald short-iso: full date and zone
	stampExim               // "2026-11-27 05:42:23[.mmm][ +0100]": year, zone optional
	stampEpoch              // spamdb: seconds since 1970
)

// rawStamp is a stamp as written. Year inference (RFC 3164) and zone
// defaults happen later, in file order, so parsing stays a pure function
// that can run on several cores.
type rawStamp struct {
	style   stampStyle
	hasZone bool
	month   time.Month
	year    int32
	day     int8
	hour    int8
	min     int8
	sec     int8
	nsec    int32
	offset  int32 // seconds east of UTC, when hasZone
	epoch   int64 // stampEpoch only
}

// monthOf reads a three-letter English month name without allocating.
// The compiler turns a switch on constant strings into a binary search.
func monthOf(s string) time.Month {
	if len(s) < 3 {
		return 0
	}
	switch s[:3] {
	case "Jan":
		return time.January
	case "Feb":
		return time.February
	case "Mar":
		return time.March
	case "Apr":
		return time.April
	case "May":
		return time.May
	case "Jun":
		return time.June
	case "Jul":
		return time.July
	case "Aug":
		return time.August
	case "Sep":
		return time.September
	case "Oct":
		return time.October
	case "Nov":
		return time.November
	case "Dec":
		return time.December
	}
	return 0
}

// digits reads exactly n decimal digits at s[i:]; ok is false otherwise.
func digits(s string, i, n int) (v int, ok bool) {
	if i < 0 || i+n > len(s) {
		return 0, false
	}
	for j := i; j < i+n; j++ {
		c := s[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// clock reads "hh:mm:ss" at s[i:].
func clock(s string, i int, st *rawStamp) bool {
	h, ok1 := digits(s, i, 2)
	m, ok2 := digits(s, i+3, 2)
	sec, ok3 := digits(s, i+6, 2)
	if !ok1 || !ok2 || !ok3 || s[i+2] != ':' || s[i+5] != ':' {
		return false
	}
	if h > 23 || m > 59 || sec > 60 {
		return false
	}
	st.hour, st.min, st.sec = int8(h), int8(m), int8(sec)
	return true
}

// fraction reads ".ddd…" at s[i:] into nanoseconds and returns the index
// after it (i itself when there is no fraction).
func fraction(s string, i int, st *rawStamp) int {
	if i >= len(s) || s[i] != '.' {
		return i
	}
	i++
	n, scale := 0, 100000000
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		if scale > 0 {
			n += int(s[i]-'0') * scale
			scale /= 10
		}
		i++
	}
	st.nsec = int32(n)
	return i
}

// date reads "YYYY-MM-DD" at s[0:].
func date(s string, st *rawStamp) bool {
	y, ok1 := digits(s, 0, 4)
	mo, ok2 := digits(s, 5, 2)
	d, ok3 := digits(s, 8, 2)
	// Years before 1970 cannot be mail logs; refusing them also keeps the
	// zero time free to mean "no time".
	if !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return false
	}
	st.year, st.month, st.day = int32(y), time.Month(mo), int8(d)
	return true
}

// parse3164 reads "Mmm dd hh:mm:ss" (day space- or zero-padded, optional
// fraction, as some syslogd write) and returns the rest after one space.
func parse3164(s string) (rawStamp, string, bool) {
	var st rawStamp
	if len(s) < 15 || s[3] != ' ' {
		return st, s, false
	}
	st.month = monthOf(s)
	if st.month == 0 {
		return st, s, false
	}
	d1, d2 := s[4], s[5]
	switch {
	case d1 == ' ' && d2 >= '1' && d2 <= '9':
		st.day = int8(d2 - '0')
	case d1 >= '0' && d1 <= '3' && d2 >= '0' && d2 <= '9':
		st.day = int8(d1-'0')*10 + int8(d2-'0')
	default:
		return st, s, false
	}
	if st.day < 1 || st.day > 31 || s[6] != ' ' || !clock(s, 7, &st) {
		return st, s, false
	}
	i := fraction(s, 15, &st)
	st.style = stampRFC3164
	rest, ok := afterSpace(s, i)
	return st, rest, ok
}

// afterSpace demands a space (or the end) at s[i] and returns what follows.
func afterSpace(s string, i int) (string, bool) {
	if i == len(s) {
		return "", true
	}
	if s[i] != ' ' {
		return s, false
	}
	return s[i+1:], true
}

// zone reads "Z", "+hh:mm" or "+hhmm" at s[i:] and returns the index after.
func zone(s string, i int, st *rawStamp) (int, bool) {
	if i >= len(s) {
		return i, false
	}
	switch s[i] {
	case 'Z', 'z':
		st.hasZone = true
		return i + 1, true
	case '+', '-':
	default:
		return i, false
	}
	sign := 1
	if s[i] == '-' {
		sign = -1
	}
	h, ok := digits(s, i+1, 2)
	if !ok || h > 23 {
		return i, false
	}
	j := i + 3
	if j < len(s) && s[j] == ':' {
		j++
	}
	m, ok := digits(s, j, 2)
	if !ok || m > 59 {
		return i, false
	}
	st.offset = int32(sign * (h*3600 + m*60))
	st.hasZone = true
	return j + 2, true
}

// parseISO reads an RFC 3339 stamp as written by rsyslog and RFC 5424
// ("2025-09-21T17:46:18.311379+02:00") or by `journalctl -o short-iso`
// ("2025-09-21T17:46:18+0200", no colon in the offset).
func parseISO(s string) (rawStamp, string, bool) {
	var st rawStamp
	if len(s) < 20 || (s[10] != 'T' && s[10] != 't') || !date(s, &st) || !clock(s, 11, &st) {
		return st, s, false
	}
	i := fraction(s, 19, &st)
	i, ok := zone(s, i, &st)
	if !ok {
		return st, s, false
	}
	st.style = stampISO
	rest, ok := afterSpace(s, i)
	return st, rest, ok
}

// parseEximStamp reads Exim's own stamp: "2026-11-27 05:42:23", with
// milliseconds under log_selector +millisec and a "+0100" zone under
// log_timezone = true (Exim src/log.c, tod_stamp(tod_log)).
func parseEximStamp(s string) (rawStamp, string, bool) {
	var st rawStamp
	if len(s) < 19 || s[10] != ' ' || !date(s, &st) || !clock(s, 11, &st) {
		return st, s, false
	}
	i := fraction(s, 19, &st)
	if i+1 < len(s) && s[i] == ' ' && (s[i+1] == '+' || s[i+1] == '-') {
		if j, ok := zone(s, i+1, &st); ok && (j == len(s) || s[j] == ' ') {
			i = j
		}
	}
	st.style = stampExim
	rest, ok := afterSpace(s, i)
	return st, rest, ok
}

// yearGuess tracks the year of RFC 3164 stamps through one file. The first
// stamp takes the year of the reference time (the file's mtime, or "now")
// unless that would put it in the future, in which case it is last year;
// after that a month that goes backwards by six or more (Dec -> Jan) means
// New Year passed inside the file. Smaller steps back are out-of-order
// lines around a month boundary, not a new year.
type yearGuess struct {
	ref       time.Time
	year      int
	lastMonth time.Month
	started   bool
	warnings  []string // where the guess was unsure
}

func (g *yearGuess) yearFor(m time.Month, day int) int {
	if !g.started {
		g.started = true
		g.year = g.ref.Year()
		rm, rd := g.ref.Month(), g.ref.Day()
		if m > rm || (m == rm && day > rd+1) {
			g.year--
		}
		g.lastMonth = m
		return g.year
	}
	if m < g.lastMonth && g.lastMonth-m >= 6 {
		g.year++
	}
	if m > g.lastMonth && m-g.lastMonth >= 6 {
		// Either a stray older line right after New Year, or a long quiet
		// gap inside one year (January to August). The reference (the
		// file's mtime) tells: a date in this year after it cannot be.
		rm, rd := g.ref.Month(), g.ref.Day()
		if g.year == g.ref.Year() && (m < rm || (m == rm && day <= rd+1)) {
			g.note(fmt.Sprintf("a gap of %d months (%s to %s) read as one year, %d, as the file's time %s allows",
				m-g.lastMonth, g.lastMonth, m, g.year, g.ref.Format("2006-01-02")))
			g.lastMonth = m
			return g.year
		}
		// A stray older line: keep it in last year without moving the
		// file's year back.
		g.note(fmt.Sprintf("a %s line after %s lines read as %d", m, g.lastMonth, g.year-1))
		return g.year - 1
	}
	g.lastMonth = m
	return g.year
}

// note keeps a warning about a guess (at most a few per file).
func (g *yearGuess) note(w string) {
	if len(g.warnings) < 3 && !slices.Contains(g.warnings, w) {
		g.warnings = append(g.warnings, w)
	}
}

// resolve turns a raw stamp into a time. Stamps without a zone are read in
// loc; RFC 3164 stamps get their year from g.
func (st rawStamp) resolve(loc *time.Location, g *yearGuess) time.Time {
	switch st.style {
	case stampNone:
		return time.Time{}
	case stampEpoch:
		return time.Unix(st.epoch, 0).In(loc)
	}
	year := int(st.year)
	if st.style == stampRFC3164 {
		year = g.yearFor(st.month, int(st.day))
	}
	if st.hasZone {
		t := time.Date(year, st.month, int(st.day), int(st.hour), int(st.min), int(st.sec), int(st.nsec), time.UTC)
		return t.Add(-time.Duration(st.offset) * time.Second).In(loc)
	}
	return time.Date(year, st.month, int(st.day), int(st.hour), int(st.min), int(st.sec), int(st.nsec), loc)
}

// ParseTimestamp reads the time stamp at the start of line in any style
// this package knows (RFC 3164, RFC 5424, RFC 3339, journald short-iso,
// Exim) and returns the time and the rest of the line. Stamps without a
// zone are read in loc; an RFC 3164 stamp takes its year from ref (the
// latest year that does not put it more than a day after ref).
func ParseTimestamp(line string, loc *time.Location, ref time.Time) (time.Time, string, error) {
	if loc == nil {
		loc = time.Local
	}
	st, rest, ok := parseAnyStamp(line)
	if !ok {
		return time.Time{}, line, fmt.Errorf("%q: %w", textsafe.Clip(line, 40), ErrBadStamp)
	}
	g := yearGuess{ref: ref}
	return st.resolve(loc, &g), rest, nil
}

// parseAnyStamp tries each style; an RFC 5424 "<PRI>1 " prefix, or "1 "
// without the PRI, is skipped.
func parseAnyStamp(s string) (rawStamp, string, bool) {
	s, _ = cut5424Version(s)
	if len(s) > 0 && s[0] == '<' {
		if _, rest, ok := skipPRI(s); ok {
			s = rest
			if len(s) > 2 && s[0] == '1' && s[1] == ' ' {
				s = s[2:]
			}
		}
	}
	if len(s) == 0 {
		return rawStamp{}, s, false
	}
	if c := s[0]; c >= 'A' && c <= 'Z' {
		return parse3164(s)
	}
	if st, rest, ok := parseISO(s); ok {
		return st, rest, true
	}
	return parseEximStamp(s)
}

// skipPRI skips "<NNN>" (RFC 5424 §6.2.1: 1 to 3 digits).
func skipPRI(s string) (int, string, bool) {
	n := 0
	for i := 1; i < len(s) && i <= 4; i++ {
		c := s[i]
		if c == '>' && i > 1 {
			return n, s[i+1:], true
		}
		if c < '0' || c > '9' {
			return 0, s, false
		}
		n = n*10 + int(c-'0')
	}
	return 0, s, false
}

// stampCache remembers the last resolved second: syslog files have many
// lines per second, and time.Date with a zone is the costly part of a
// stamp. Only the fraction differs between hits.
type stampCache struct {
	key  rawStamp
	base time.Time
	ok   bool
}

func (c *stampCache) resolve(st rawStamp, loc *time.Location, g *yearGuess) time.Time {
	nsec := st.nsec
	st.nsec = 0
	if c.ok && st == c.key {
		return c.base.Add(time.Duration(nsec))
	}
	c.key, c.ok = st, true
	c.base = st.resolve(loc, g)
	return c.base.Add(time.Duration(nsec))
}

// order is a number that sorts stamps of one year by time, for the span
// of dropped lines (a year is not known before the guess).
func (st rawStamp) order() int64 {
	if st.style == stampEpoch {
		return st.epoch * 1e9
	}
	secs := ((((int64(st.year)*13+int64(st.month))*32+int64(st.day))*24+int64(st.hour))*60+int64(st.min))*60 + int64(st.sec)
	if st.hasZone {
		secs -= int64(st.offset)
	}
	return secs*1e9 + int64(st.nsec)
}
