package evidence

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fastHeaderCases are lines around every check of parseSyslogFast.
var fastHeaderCases = []string{
	"Jan  3 00:00:00 mx1 postfix/smtpd[1001]: connect from unknown[133.38.96.51]",
	"Dec 31 23:59:60 mx1 postfix/qmgr[900]: 4A1B2C3D01: removed",
	"Feb 29 12:00:00 host sendmail[1]: x",
	"Aug 19 14:35:27 mail spamd: (GREY) 192.0.2.1: <a@b> -> <c@d>",
	"Aug 19 14:35:27 mail spamd:",
	"Aug 19 14:35:27.123 mail spamd[1]: with a fraction",
	"Aug 19 14:35:27 <mail.info> mail spamd[1]: priority",
	"Aug 19 14:35:27  mail spamd[1]: two spaces",
	"Aug 19 14:35:27 mail spamd [1]: space in tag",
	"Aug 19 14:35:27 mail [1]: empty tag",
	"Aug 19 14:35:27 mail spamd[1: unclosed",
	"Aug 19 14:35:27 mail spamd[1]x no colon",
	"Aug 00 14:35:27 mail spamd[1]: day 0",
	"Aug 32 14:35:27 mail spamd[1]: day 32",
	"Aug  0 14:35:27 mail spamd[1]: day 0",
	"Aug 19 24:35:27 mail spamd[1]: hour 24",
	"Aug 19 14:60:27 mail spamd[1]: minute 60",
	"Aug 19 14:35:61 mail spamd[1]: second 61",
	"Aug 19 1a:35:27 mail spamd[1]: letter",
	"Aug 19 14:35:2/ mail spamd[1]: slash",
	"Axg 19 14:35:27 mail spamd[1]: month",
	"aug 19 14:35:27 mail spamd[1]: lower case",
	"<22>Aug 19 14:35:27 mail spamd[1]: PRI",
	"<22>1 2026-08-19T14:35:27Z mail spamd 1 - - RFC 5424",
	"2026-08-19T14:35:27+02:00 mail spamd[1]: RFC 3339",
	"Aug 19 14:35:27 mail",
	"Aug 19 14:35:27 mail ",
	"Aug 19 14:35:27 m t:",
	"Aug 19 14:35:27 m t:x",
	"Aug 19 14:35:27 m t[1]:",
	"Aug 19 14:35:27 m t[]: empty pid",
	"Aug 19 14:35:27 m t[1]]: x",
	"Aug 19 14:35:27 m t[a:b]: colon in pid",
	"Aug 19 14:35:27 m " + strings.Repeat("a", 95) + ": tag of 95",
	"Aug 19 14:35:27 m " + strings.Repeat("a", 96) + ": tag of 96",
	"Aug 19 14:35:27 m " + strings.Repeat("a", 95) + "[1]: pid after 95",
	"",
}

// committedLogs names the syslog-style logs under testdata.
func committedLogs() []string {
	files, _ := filepath.Glob("testdata/*.log")
	more, _ := filepath.Glob("testdata/*/*.log")
	return append(files, more...)
}

// TestParseSyslogFastAgrees checks that the fixed-position reader gives
// parseSyslog's header on every line it accepts, over edge cases and every
// line of the committed logs.
func TestParseSyslogFastAgrees(t *testing.T) {
	lines := append([]string(nil), fastHeaderCases...)
	for _, name := range committedLogs() {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		f.Close()
	}
	accepted := 0
	for _, l := range lines {
		if checkFastHeader(t, l) {
			accepted++
		}
	}
	if accepted < len(fastHeaderCases)/4 {
		t.Errorf("fast header accepted only %d of %d lines", accepted, len(lines))
	}
}

// checkFastHeader reports whether parseSyslogFast accepted line, failing
// the test when its header differs from parseSyslog's.
func checkFastHeader(t testing.TB, line string) bool {
	t.Helper()
	var fast header
	if !parseSyslogFast(line, &fast) {
		return false
	}
	slow, ok := parseSyslogSlow(line)
	if !ok || slow != fast {
		t.Errorf("%q: fast header %+v, parseSyslog %+v (ok %v)", line, fast, slow, ok)
	}
	return true
}

func FuzzParseSyslogFast(f *testing.F) {
	for _, l := range fastHeaderCases {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) { checkFastHeader(t, line) })
}

// checkHeaderMemo fails the test when reading cur through a memo that has
// just read prev gives another header than parseSyslogFast alone.
func checkHeaderMemo(t testing.TB, m *headerMemo, prev, cur string) {
	t.Helper()
	var h header
	m.parse(prev, &h)
	var viaMemo, alone header
	okMemo, okAlone := m.parse(cur, &viaMemo), parseSyslogFast(cur, &alone)
	if okMemo != okAlone || okAlone && viaMemo != alone { // a refused header is not used
		t.Errorf("after %q, %q: memo header %+v (%v), parseSyslogFast %+v (%v)", prev, cur, viaMemo, okMemo, alone, okAlone)
	}
}

// TestHeaderMemoAgrees reads every committed log line by line through one
// memo, as parseChunk does, and the edge cases pairwise.
func TestHeaderMemoAgrees(t *testing.T) {
	for _, name := range committedLogs() {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var m headerMemo
		prev := ""
		for _, line := range strings.Split(string(data), "\n") {
			checkHeaderMemo(t, &m, prev, line)
			prev = line
		}
	}
	cases := append(fastHeaderCases, "Jan  3 00:00:00 mx1 postfix/smtpd[1]: x", "Jan  3 00:00:00 mx1", "Jan  3 00:00:00 mx1 ", "Jan  3 00:00:00 mx10 postfix/smtpd[1]: x", "Jan  3 00:00:00 mx1 <bad>")
	for _, prev := range cases {
		for _, cur := range cases {
			checkHeaderMemo(t, &headerMemo{}, prev, cur)
		}
	}
}

func FuzzHeaderMemo(f *testing.F) {
	f.Add("Jan  3 00:00:00 mx1 postfix/smtpd[1001]: connect from a[1.2.3.4]", "Jan  3 00:00:00 mx1 postfix/qmgr[900]: removed")
	f.Add("Jan  3 00:00:00 mx1 postfix/smtpd[1001]: x", "Jan  3 00:00:00 mx1")
	f.Fuzz(func(t *testing.T, prev, cur string) { checkHeaderMemo(t, &headerMemo{}, prev, cur) })
}
