package outbound

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The syslog framings a real MX's log arrives in. The captured logs of
// ../testdata/mta were written by Postfix's maillog_file (RFC 3164 style)
// and Exim's mainlog; each framing below rewrites their lines the way the
// named writer frames a message, keeping its stamp, host, program, pid and
// message, so that a report read from any framing must equal the report
// read from the capture.
var framings = []struct {
	name string
	// frame writes one message sent at t by tag[pid] on host.
	frame func(t time.Time, host, tag, pid, msg string) string
}{
	// rsyslog's default file format on Debian and Ubuntu
	// (RSYSLOG_FileFormat: "%TIMESTAMP:::date-rfc3339% %HOSTNAME%
	// %syslogtag%%msg%"), microseconds and a zone offset.
	{"rfc3339", func(t time.Time, host, tag, pid, msg string) string {
		return fmt.Sprintf("%s %s %s[%s]: %s", t.In(time.FixedZone("", 3600)).Format("2006-01-02T15:04:05.000000-07:00"), host, tag, pid, msg)
	}},
	// RFC 5424 §6 as rsyslog's RSYSLOG_SyslogProtocol23Format writes it:
	// "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG"; PRI 22 is
	// mail.info.
	{"rfc5424", func(t time.Time, host, tag, pid, msg string) string {
		return fmt.Sprintf("<22>1 %s %s %s %s - - %s", t.UTC().Format("2006-01-02T15:04:05.000000Z07:00"), host, tag, pid, msg)
	}},
	// The same without "<PRI>", as a template that leaves %PRI% out (or a
	// relay that strips it) writes it to a file; no MSGID, a structured
	// data element, and a negative offset.
	{"rfc5424-nopri", func(t time.Time, host, tag, pid, msg string) string {
		return fmt.Sprintf(`1 %s %s %s %s - [origin software="rsyslogd"] %s`, t.In(time.FixedZone("", -5*3600)).Format("2006-01-02T15:04:05.000000-07:00"), host, tag, pid, msg)
	}},
	// RFC 5424 without PRI and VERSION, as files often hold it (the PRI
	// chose the file and is dropped on disk): it begins with the stamp as
	// rsyslog's default does, but the fields that follow are RFC 5424's.
	{"rfc5424-bare", func(t time.Time, host, tag, pid, msg string) string {
		return fmt.Sprintf("%s %s %s %s - - %s", t.UTC().Format("2006-01-02T15:04:05.000000Z07:00"), host, tag, pid, msg)
	}},
}

// reframe rewrites every line of a captured log in a framing. Postfix's
// lines are "Mmm dd hh:mm:ss host tag[pid]: msg" of 2026; an Exim mainlog
// line becomes what Exim sends to syslog under log_file_path = syslog:
// the message without Exim's own stamp, tag "exim", a pid.
func reframe(t *testing.T, path string, frame func(time.Time, string, string, string, string) string) string {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rfc3164 := regexp.MustCompile(`^([A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d) (\S+) ([^\[: ]+)\[(\d+)\]: (.*)$`)
	eximLine := regexp.MustCompile(`^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.*)$`)
	var out strings.Builder
	for _, l := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
		if m := rfc3164.FindStringSubmatch(l); m != nil {
			at, err := time.Parse("2006 Jan _2 15:04:05", "2026 "+m[1])
			if err != nil {
				t.Fatal(err)
			}
			out.WriteString(frame(at, m[2], m[3], m[4], m[5]) + "\n")
			continue
		}
		m := eximLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("%s: %q is in neither shape", path, l)
		}
		at, err := time.Parse(time.DateTime, m[1])
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(frame(at, "mx", "exim", "4242", m[2]) + "\n")
	}
	return out.String()
}

// digest is a report's JSON without what differs by framing alone: the
// raw lines, the file names and fractions of seconds.
func digest(t *testing.T, rep *Report) string {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`"(raw|file)":"(?:[^"\\]|\\.)*"`).ReplaceAllString(string(b), `"$1":""`)
	return regexp.MustCompile(`(T\d\d:\d\d:\d\d)\.\d+`).ReplaceAllString(s, "$1")
}

var endOf2026 = time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)

func TestEveryFramingReadsAlike(t *testing.T) {
	for _, log := range []string{"postfix-backscatter.log", "postfix-sasl.log", "postfix-prober.log", "exim-outbound.log", "exim-prober.log"} {
		// The captures are of December 2026 (PROVENANCE-outbound.md).
		want := scanFilesAt(t, endOf2026, mta(log))
		if want.Outbound == 0 {
			t.Fatalf("%s: no outbound lines in the capture", log)
		}
		for _, f := range framings {
			t.Run(log+"/"+f.name, func(t *testing.T) {
				got := scanFilesAt(t, endOf2026, writeLog(t, log, reframe(t, mta(log), f.frame)))
				if got.Outbound != want.Outbound || got.Malformed != 0 {
					t.Errorf("%d outbound lines (%d malformed), want %d as in the capture", got.Outbound, got.Malformed, want.Outbound)
				}
				if g, w := digest(t, got), digest(t, want); g != w {
					t.Errorf("report differs from the capture's:\n got %s\nwant %s", g, w)
				}
			})
		}
	}
}

// A line in a syslog framing whose header breaks (a tag with a space, an
// RFC 5424 line cut short) yet holds what an outbound line holds is
// counted as malformed, never passed over as "not outbound".
func TestBrokenFramingIsMalformed(t *testing.T) {
	for _, l := range []string{
		"<22>1 2026-11-20T12:49:25.123456+00:00 mx postfix/smtp 1234 - [unclosed 6F7A8B9C0D: to=<a@example.org>, status=sent",
		"1 2026-11-20T12:49:25.123456+00:00 mx postfix/smtp to=<a@example.org>",
		"<22>1 2026-11-20T12:49:25+00:00 mx - 1234 - - 6F7A8B9C0D: to=<a@example.org>, status=sent",
		"2026-11-20T12:49:25.123456+01:00 mx postfix smtp[1234]: 6F7A8B9C0D: to=<a@example.org>, status=sent",
		"Nov 20 12:49:25 mx postfix smtp[1234]: 6F7A8B9C0D: to=<a@example.org>, status=sent",
		"2026-11-20T12:49:25.123456+00:00 mx postfix/smtp 1234 - 6F7A8B9C0D: to=<a@example.org>, status=sent",
		"2026-11-20T12:49:25.123456+00:00 mx postfix/smtp 1234 - -6F7A8B9C0D: to=<a@example.org>, status=sent",
	} {
		rep, _ := scanFile(t, l+"\n")
		if rep.Malformed != 1 || rep.Files[0].Malformed != 1 {
			t.Errorf("%q: %d malformed, want 1", l, rep.Malformed)
		}
		if _, ok := Parse(l, time.UTC, time.Time{}); ok {
			t.Errorf("Parse(%q) ok", l)
		}
	}
}

func scanFile(t *testing.T, body string) (*Report, error) {
	t.Helper()
	ref := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	return Scan(t.Context(), Options{Files: []string{writeLog(t, "maillog", body)}, YearReference: ref})
}
