package evidence

import (
	"errors"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	ref := time.Date(2017, 9, 1, 0, 0, 0, 0, oslo)
	tests := []struct {
		name, line, want, rest string
	}{
		{"rfc3164", "Aug 19 14:35:27 delilah spamd[1]: x", "2017-08-19T14:35:27+02:00", "delilah spamd[1]: x"},
		{"rfc3164 padded day", "Nov  6 09:51:20 delilah x: y", "2016-11-06T09:51:20+01:00", "delilah x: y"},
		{"rfc3164 zero day", "Nov 06 09:51:20 delilah x: y", "2016-11-06T09:51:20+01:00", "delilah x: y"},
		{"rfc3164 fraction", "Aug 19 14:35:27.250 h t: m", "2017-08-19T14:35:27.25+02:00", "h t: m"},
		{"rfc3164 one day ahead still this year", "Sep  2 00:00:00 h t: m", "2017-09-02T00:00:00+02:00", "h t: m"},
		{"rfc5424", "<38>1 2019-07-08T17:40:16.954167-04:00 host app 12 - - msg", "2019-07-08T23:40:16.954167+02:00", "host app 12 - - msg"},
		{"rfc3339 rsyslog", "2025-09-21T17:46:18.311379+02:00 mx postfix/smtpd[1]: x", "2025-09-21T17:46:18.311379+02:00", "mx postfix/smtpd[1]: x"},
		{"rfc3339 Z", "2025-09-21T15:46:18Z mx t: x", "2025-09-21T17:46:18+02:00", "mx t: x"},
		{"journald short-iso", "2025-09-21T17:46:18+0200 mx t[1]: x", "2025-09-21T17:46:18+02:00", "mx t[1]: x"},
		{"exim", "2026-11-27 05:42:23 H=(x) [127.0.0.26]", "2026-11-27T05:42:23+01:00", "H=(x) [127.0.0.26]"},
		{"exim millisec", "2026-11-27 05:42:23.123 H=x", "2026-11-27T05:42:23.123+01:00", "H=x"},
		{"exim zone", "2026-11-27 05:42:23 -0500 H=x", "2026-11-27T11:42:23+01:00", "H=x"},
		{"exim millisec zone", "2026-11-27 05:42:23.5 +0000 [12] H=x", "2026-11-27T06:42:23.5+01:00", "[12] H=x"},
		{"exim stamp only", "2026-11-27 05:42:23", "2026-11-27T05:42:23+01:00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, rest, err := ParseTimestamp(tt.line, oslo, ref)
			if err != nil {
				t.Fatalf("ParseTimestamp(%q): %v", tt.line, err)
			}
			if g := got.Format(time.RFC3339Nano); g != tt.want {
				t.Errorf("time = %s, want %s", g, tt.want)
			}
			if rest != tt.rest {
				t.Errorf("rest = %q, want %q", rest, tt.rest)
			}
		})
	}
}

func TestParseTimestampRejects(t *testing.T) {
	for _, line := range []string{
		"", "Foo 19 14:35:27 h", "Aug 32 14:35:27 h", "Aug 19 25:35:27 h", "Aug 19 14:35 h",
		"2025-13-21T17:46:18Z h", "2025-09-21T17:46:18 h", "2025-09-21T17:46:18+2 h",
		"2026-11-27 05:42:23x", "<38>", "GREY|1.2.3.4|x",
	} {
		if _, _, err := ParseTimestamp(line, time.UTC, time.Now()); !errors.Is(err, ErrBadStamp) {
			t.Errorf("ParseTimestamp(%q) error = %v, want ErrBadStamp", line, err)
		}
	}
}

// TestYearGuess covers RFC 3164 year inference through New Year inside a
// file, from the file's mtime.
func TestYearGuess(t *testing.T) {
	tests := []struct {
		name   string
		ref    time.Time
		months []time.Month
		want   []int
	}{
		{"same year", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), []time.Month{1, 2, 3}, []int{2026, 2026, 2026}},
		{"new year inside the file", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), []time.Month{12, 12, 1, 1}, []int{2025, 2025, 2026, 2026}},
		{"file from last year", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), []time.Month{10, 11}, []int{2025, 2025}},
		{"month boundary out of order is not a new year", time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), []time.Month{3, 4, 3, 4}, []int{2026, 2026, 2026, 2026}},
		{"stray December line after New Year", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), []time.Month{12, 1, 12, 1}, []int{2025, 2026, 2025, 2026}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := yearGuess{ref: tt.ref}
			for i, m := range tt.months {
				if got := g.yearFor(m, 1); got != tt.want[i] {
					t.Errorf("line %d (%s): year %d, want %d", i, m, got, tt.want[i])
				}
			}
		})
	}
}

func TestLineParserNewYear(t *testing.T) {
	p := NewLineParser(FormatSpamd, time.UTC, time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), "maillog")
	lines := []string{
		"Dec 31 23:59:58 h spamd[1]: 192.0.2.1: connected (1/0)",
		"Jan  1 00:00:03 h spamd[1]: 192.0.2.1: disconnected after 5 seconds.",
	}
	want := []string{"2026-12-31T23:59:58Z", "2027-01-01T00:00:03Z"}
	for i, l := range lines {
		evs, err := p.Parse(l)
		if err != nil || len(evs) != 1 {
			t.Fatalf("Parse(%q) = %v, %v", l, evs, err)
		}
		if got := evs[0].Time.Format(time.RFC3339); got != want[i] {
			t.Errorf("line %d: %s, want %s", i+1, got, want[i])
		}
	}
}
