package evidence

import "strings"

// Exim's connection lines (src/smtp_in.c). Without log_selector +pid,
// nothing else in the mainlog tells one connection from the next one by
// the same client, so these mark where a session starts and ends:
//
//	SMTP connection from [ip]:port I=[ip]:25 (TCP/IP connection count = 1)   +smtp_connection
//	SMTP connection from (helo) [ip]:port I=[ip]:25 D=1s closed by QUIT      +smtp_connection
//	SMTP connection from (helo) [ip]:port lost D=10s                         +smtp_connection
//	no MAIL in SMTP connection from name [ip]:port I=[ip]:25 D=21s C=EHLO,STARTTLS   (default)
//	SMTP command timeout on connection from (helo) [ip] D=5m                 (default)
//	unexpected disconnection while reading SMTP command from (helo) [ip] D=1s (default)

// eximConnection recognises a connection line and returns its kind and
// the text after "from ", which starts with the client.
func eximConnection(s string) (Kind, string, bool) {
	switch {
	case strings.HasPrefix(s, "SMTP connection from "):
		rest := s[len("SMTP connection from "):]
		if strings.Contains(rest, "(TCP/IP connection count") {
			return KindConnect, rest, true
		}
		if strings.Contains(rest, " lost") {
			return KindLost, rest, true
		}
		if strings.Contains(rest, " closed ") {
			return KindDisconnect, rest, true
		}
	case strings.HasPrefix(s, "no MAIL in "):
		if _, rest, ok := strings.Cut(s, "SMTP connection from "); ok {
			return KindDisconnect, rest, true
		}
	case strings.HasPrefix(s, "SMTP command timeout on "):
		if _, rest, ok := strings.Cut(s, "connection from "); ok {
			return KindLost, rest, true
		}
	case strings.HasPrefix(s, "unexpected disconnection while reading SMTP command from "):
		return KindLost, s[len("unexpected disconnection while reading SMTP command from "):], true
	}
	return KindNone, "", false
}

// eximConnectionEvent makes the event of a connection line; one whose
// client cannot be read is malformed.
func eximConnectionEvent(k Kind, rest string, ev *Event, dst []Event) ([]Event, lineStatus) {
	if !eximHostAt(rest, ev) {
		return dst, lineMalformed
	}
	ev.Kind = k
	switch {
	case strings.Contains(rest, " closed by QUIT"):
		ev.Reply = "QUIT"
	case strings.Contains(rest, " lost"), strings.HasPrefix(rest, "timeout"):
		ev.Reply = "lost"
	}
	return emit(dst, ev), lineEvent
}

// clientBracket returns the index of the first "[" outside parentheses,
// or -1.
func clientBracket(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case '[':
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
