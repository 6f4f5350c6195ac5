package evidence

import (
	"testing"
	"time"
)

// ParseSyslog reads the same message out of each framing a syslog file
// holds it in: RFC 3164, rsyslog's RFC 3339 default, RFC 5424 with and
// without PRI (and VERSION).
func TestParseSyslogFramings(t *testing.T) {
	want := time.Date(2026, 11, 20, 12, 49, 25, 0, time.UTC)
	for _, line := range []string{
		"Nov 20 12:49:25 mx postfix/smtp[1234]: 6F7A8B9C0D: to=<a@example.org>",
		"2026-11-20T13:49:25.123456+01:00 mx postfix/smtp[1234]: 6F7A8B9C0D: to=<a@example.org>",
		"<22>1 2026-11-20T12:49:25.123456+00:00 mx postfix/smtp 1234 - - 6F7A8B9C0D: to=<a@example.org>",
		`1 2026-11-20T07:49:25.123456-05:00 mx postfix/smtp 1234 - [origin software="rsyslogd"] 6F7A8B9C0D: to=<a@example.org>`,
		"2026-11-20T12:49:25.123456Z mx postfix/smtp 1234 - - 6F7A8B9C0D: to=<a@example.org>",
	} {
		l, ok := ParseSyslog(line, time.UTC, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if !ok || !l.Time.Truncate(time.Second).Equal(want) || l.Host != "mx" || l.Tag != "postfix/smtp" || l.Service != "smtp" ||
			l.PID != "1234" || l.Msg != "6F7A8B9C0D: to=<a@example.org>" {
			t.Errorf("%q: %+v, %v", line, l, ok)
		}
	}
	for _, line := range []string{"2026-11-20 12:49:25 1xWpRL-00019O-0U => a@example.org", "1 x", "1 2026-11-20T12:49:25Z mx",
		"2026-11-20T12:49:25Z mx postfix/smtp 1234 - 6F7A8B9C0D: to=<a@example.org>"} {
		if l, ok := ParseSyslog(line, time.UTC, time.Time{}); ok {
			t.Errorf("%q read as syslog: %+v", line, l)
		}
	}
	if at, rest, err := ParseTimestamp("1 2026-11-20T12:49:25Z mx x: y", time.UTC, time.Time{}); err != nil || !at.Equal(want) || rest != "mx x: y" {
		t.Errorf("ParseTimestamp without PRI: %v %q %v", at, rest, err)
	}
}
