package evidence

import (
	"strings"
	"time"
)

// header is the syslog part of a line: stamp, host, program tag, pid, and
// the program's message.
type header struct {
	stamp rawStamp
	host  string
	tag   string // "postfix/smtpd", "spamd", "sm-mta", "exim4"…
	svc   string // the tag's last '/'-separated part: Postfix's service ("smtpd")
	pid   string
	msg   string
}

// parseSyslogSlow splits a syslog line written by a syslogd (RFC 3164 style,
// with an optional "<PRI>" and the "<mail.info>" priority some BSD syslogd
// print before the host), by rsyslog (RFC 3339 stamp), by journalctl
// short-iso, or an RFC 5424 line ("<38>1 stamp host app procid msgid sd msg",
// also without "<PRI>", or without "<PRI>1 ", as files may hold it).
func parseSyslogSlow(line string) (header, bool) {
	var h header
	s := line
	if rest, ok := cut5424Version(s); ok {
		return parse5424(rest)
	}
	if len(s) > 0 && s[0] == '<' {
		_, rest, ok := skipPRI(s)
		if !ok {
			return h, false
		}
		if len(rest) > 2 && rest[0] == '1' && rest[1] == ' ' {
			return parse5424(rest[2:])
		}
		s = rest
	}
	var ok bool
	if len(s) > 0 && s[0] >= 'A' && s[0] <= 'Z' {
		h.stamp, s, ok = parse3164(s)
	} else {
		h.stamp, s, ok = parseISO(s)
	}
	if !ok {
		return h, false
	}
	// "<mail.info> " before the host (syslogd -v style priority).
	if len(s) > 0 && s[0] == '<' {
		end := strings.IndexByte(s, '>')
		if end < 0 || end > 40 || end+1 >= len(s) || s[end+1] != ' ' {
			return h, false
		}
		s = s[end+2:]
	}
	sp := strings.IndexByte(s, ' ')
	if sp <= 0 {
		return h, false
	}
	h.host, s = s[:sp], s[sp+1:]
	if splitTag(&h, s) {
		return h, true
	}
	// An RFC 5424 line written to a file without "<PRI>1 " (the PRI and
	// VERSION are often dropped on disk): RFC 3339 stamp, host, then
	// "APP-NAME PROCID MSGID SD MSG" where RFC 3164 has "tag[pid]: msg".
	return h, h.stamp.style == stampISO && read5424(&h, s)
}

// cut5424Version cuts the "1 " VERSION that begins an RFC 5424 line
// without its PRI (§6.2.2) when an RFC 3339 stamp follows.
func cut5424Version(s string) (string, bool) {
	if len(s) > 3 && s[0] == '1' && s[1] == ' ' && s[2] >= '0' && s[2] <= '9' {
		return s[2:], true
	}
	return s, false
}

// SyslogLine is one line of a syslog file split into its framing.
type SyslogLine struct {
	Time    time.Time
	Host    string
	Tag     string // "postfix/smtp", "exim4", "postfix-in/submission/smtpd"…
	Service string // the tag's last '/'-separated part: Postfix's service ("smtp")
	PID     string // "" when the line has none
	Msg     string // the program's message
}

// ParseSyslog splits a line in any syslog framing this package reads:
// RFC 3164 ("Nov 20 12:49:25 host tag[pid]: msg", with an optional
// "<PRI>"), an RFC 3339 stamp instead (rsyslog's default file format on
// Debian and Ubuntu, journalctl -o short-iso), or RFC 5424 ("<PRI>1 stamp
// host app procid msgid sd msg", with or without "<PRI>" or "<PRI>1 ").
// Stamps without a zone are read in loc (nil: time.Local); an RFC 3164
// stamp takes its year from ref as in ParseTimestamp. ok is false when
// the line is in none of these framings (an Exim mainlog line is not
// syslog).
func ParseSyslog(line string, loc *time.Location, ref time.Time) (l SyslogLine, ok bool) {
	h, ok := parseSyslog(line)
	if !ok {
		return l, false
	}
	if loc == nil {
		loc = time.Local
	}
	g := yearGuess{ref: ref}
	return SyslogLine{Time: h.stamp.resolve(loc, &g), Host: h.host, Tag: h.tag, Service: h.svc, PID: h.pid, Msg: h.msg}, true
}

// setTag sets the tag and its service, the part after its last '/'
// (Postfix writes "syslog_name/service", "postfix-in/submission/smtpd"
// with a multi-instance name); svcAt is where the service begins when the
// caller knows it, else -1.
func (h *header) setTag(tag string, svcAt int) {
	if svcAt < 0 {
		svcAt = strings.LastIndexByte(tag, '/') + 1
	}
	h.tag, h.svc = tag, tag[svcAt:]
}

// splitTag reads "tag[pid]: msg" or "tag: msg".
func splitTag(h *header, s string) bool {
	for i := 0; i < len(s) && i < 96; i++ {
		switch s[i] {
		case '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 || i+end+2 > len(s) || s[i+end+1] != ':' {
				return false
			}
			h.setTag(s[:i], -1)
			h.pid = s[i+1 : i+end]
			h.msg = trimOneSpace(s[i+end+2:])
			return i > 0
		case ':':
			h.setTag(s[:i], -1)
			h.msg = trimOneSpace(s[i+1:])
			return i > 0
		case ' ':
			return false
		}
	}
	return false
}

func trimOneSpace(s string) string {
	if len(s) > 0 && s[0] == ' ' {
		return s[1:]
	}
	return s
}

// parse5424 reads the part after "<PRI>1 " (RFC 5424 §6): TIMESTAMP HOSTNAME
// APP-NAME PROCID MSGID STRUCTURED-DATA MSG, "-" for a missing field.
func parse5424(s string) (header, bool) {
	var h header
	var ok bool
	h.stamp, s, ok = parseISO(s)
	if !ok {
		return h, false
	}
	sp := strings.IndexByte(s, ' ')
	if sp <= 0 {
		return h, false
	}
	h.host = s[:sp]
	return h, read5424(&h, s[sp+1:])
}

// read5424 reads "APP-NAME PROCID MSGID STRUCTURED-DATA MSG" into h.
func read5424(h *header, s string) bool {
	var f [3]string
	for i := range f {
		sp := strings.IndexByte(s, ' ')
		if sp < 0 {
			return false
		}
		f[i], s = s[:sp], s[sp+1:]
	}
	h.pid = f[1]
	h.setTag(f[0], -1)
	if h.pid == "-" {
		h.pid = ""
	}
	s, ok := skipStructuredData(s)
	if !ok {
		return false
	}
	h.msg = strings.TrimPrefix(s, "\ufeff") // RFC 5424 §6.4: optional BOM
	return h.tag != "" && h.tag != "-"
}

// skipStructuredData skips "-" or one or more "[id k="v"…]" elements (and
// refuses anything else, so that a message is never taken for them),
// honouring backslash escapes inside values (RFC 5424 §6.3.3).
func skipStructuredData(s string) (string, bool) {
	if s == "-" || strings.HasPrefix(s, "- ") {
		return trimOneSpace(s[1:]), true
	}
	if !strings.HasPrefix(s, "[") {
		return s, false
	}
	i, inQuote := 0, false
	for i < len(s) {
		c := s[i]
		switch {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == ']' && (i+1 == len(s) || s[i+1] != '['):
			return trimOneSpace(s[i+1:]), true
		}
		i++
	}
	return s, false
}
