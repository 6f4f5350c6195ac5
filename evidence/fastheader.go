package evidence

// parseSyslogFast reads the header most lines of a busy maillog carry,
// "Mmm dd hh:mm:ss host tag[pid]: msg" (RFC 3164 §4.1.2, as syslogd and
// rsyslog's traditional format write it), by fixed positions into h. It
// returns false for every other shape (a PRI, fractional seconds, an
// ISO or RFC 5424 stamp, a "<mail.info>" priority, anything broken), which
// parseSyslog then reads: on every line it accepts, h is what parseSyslog
// returns (TestParseSyslogFastAgrees, FuzzParseSyslogFast).
func parseSyslogFast(s string, h *header) bool {
	if len(s) < 18 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' || s[15] != ' ' {
		return false
	}
	month := monthOf(s)
	if month == 0 {
		return false
	}
	var day int8
	switch d1, d2 := s[4], s[5]; {
	case d1 == ' ' && d2 >= '1' && d2 <= '9':
		day = int8(d2 - '0')
	case d1 >= '0' && d1 <= '3' && d2 >= '0' && d2 <= '9':
		day = int8(d1-'0')*10 + int8(d2-'0')
	default:
		return false
	}
	// Bytes below '0' wrap around to large values: one comparison each.
	h1, h2, m1, m2, s1, s2 := s[7]-'0', s[8]-'0', s[10]-'0', s[11]-'0', s[13]-'0', s[14]-'0'
	if h1 > 9 || h2 > 9 || m1 > 9 || m2 > 9 || s1 > 9 || s2 > 9 {
		return false
	}
	hour, minute, sec := h1*10+h2, m1*10+m2, s1*10+s2
	if day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return false
	}
	rest := s[16:]
	if rest[0] == '<' {
		return false
	}
	// Byte loops, not strings.IndexByte: host names and pids are a few
	// bytes, shorter than the vector search's set-up.
	sp := 0
	for sp < len(rest) && rest[sp] != ' ' {
		sp++
	}
	if sp == 0 || sp == len(rest) {
		return false
	}
	h.host = rest[:sp]
	if !splitTagFast(h, rest[sp+1:]) {
		return false
	}
	h.stamp = rawStamp{style: stampRFC3164, month: month, day: day, hour: int8(hour), min: int8(minute), sec: int8(sec)}
	return true
}

// parseSyslog splits a syslog line into its header and message: the
// common RFC 3164 shape by fixed positions, every other one by
// parseSyslogSlow.
func parseSyslog(line string) (header, bool) {
	var h header
	if parseSyslogFast(line, &h) {
		return h, true
	}
	return parseSyslogSlow(line)
}

// tagStop marks the bytes that end a syslog tag for splitTag.
var tagStop = [256]bool{'[': true, ':': true, ' ': true}

// postfixServiceLen returns the length of the usual Postfix service names
// that begin s and are followed by the pid's '[' (0 for any other), each
// compared in one or two loads instead of a byte loop.
func postfixServiceLen(s string) int {
	switch {
	case len(s) >= 6 && s[:6] == "smtpd[":
		return 5
	case len(s) >= 5 && s[:5] == "qmgr[":
		return 4
	case len(s) >= 8 && s[:8] == "cleanup[":
		return 7
	case len(s) >= 6 && s[:6] == "local[":
		return 5
	}
	return 0
}

// splitTagFast is splitTag with one table look-up a byte instead of a
// switch; lines it refuses go to parseSyslogSlow, whose splitTag decides.
func splitTagFast(h *header, s string) bool {
	// The loops index t and rest, not s with an offset, so that the
	// compiler can drop their bounds checks.
	t := s[:min(len(s), 96)]
	i, svcAt := 0, -1
	// Most lines of a maillog are Postfix's: its tags begin with eight
	// bytes that cannot end a tag, compared in one go, and most often
	// name one of a few services, which then need no search for a '/'.
	if len(t) > 8 && t[:8] == "postfix/" {
		i = 8
		if n := postfixServiceLen(t[8:]); n > 0 {
			i, svcAt = 8+n, 8
		}
	}
	for i < len(t) && !tagStop[t[i]] {
		i++
	}
	if i == 0 || i == len(t) || t[i] == ' ' {
		return false
	}
	if t[i] == ':' {
		h.setTag(s[:i], svcAt)
		h.msg = trimOneSpace(s[i+1:])
		return true
	}
	rest := s[i+1:] // after the '['
	end := 0
	for end < len(rest) && rest[end] != ']' {
		end++
	}
	if end+1 >= len(rest) || rest[end+1] != ':' {
		return false
	}
	h.setTag(s[:i], svcAt)
	h.pid = rest[:end]
	h.msg = trimOneSpace(rest[end+2:])
	return true
}

// headerMemo remembers the stamp and host of the last line that
// parseSyslogFast read. On a busy MX most lines share their second and
// host with the line before: one comparison of those bytes then stands
// for reading and checking the stamp again. The prefix points into the
// caller's buffer, so a memo lives no longer than one chunk.
type headerMemo struct {
	prefix string // "Mmm dd hh:mm:ss host " of that line
	stamp  rawStamp
	host   string
}

// parse is parseSyslogFast through the memo: the header it gives is the
// one parseSyslogFast gives (TestHeaderMemoAgrees, FuzzHeaderMemo).
func (m *headerMemo) parse(s string, h *header) bool {
	if n := len(m.prefix); n > 0 && len(s) > n && s[:n] == m.prefix {
		h.stamp, h.host = m.stamp, m.host
		return splitTagFast(h, s[n:])
	}
	if !parseSyslogFast(s, h) {
		return false
	}
	m.prefix, m.stamp, m.host = s[:16+len(h.host)+1], h.stamp, h.host
	return true
}
