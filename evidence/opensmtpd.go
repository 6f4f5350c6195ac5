package evidence

import "strings"

// OpenSMTPD lines (usr.sbin/smtpd/smtp_session.c). Since 6.4 every line of a
// session starts with its 16-hex-digit id ("%016"PRIx64" smtp connected
// address=… host=…"); older versions wrote "smtp-in: … session %016x …".

func parseOpenSMTPD(h *header, ev *Event, dst []Event) ([]Event, lineStatus) {
	ev.Format = FormatOpenSMTPD
	msg := h.msg
	if strings.HasPrefix(msg, "smtp-in: ") {
		return parseOldOpenSMTPD(msg[len("smtp-in: "):], ev, dst)
	}
	id, rest, ok := strings.Cut(msg, " smtp ")
	if !ok || !isHex16(id) {
		return dst, lineIgnored
	}
	ev.Session = id
	verb, args, _ := strings.Cut(rest, " ")
	switch verb {
	case "connected":
		ev.Kind = KindConnect
		ev.IP, _ = field(args, "address=", ' ')
		ev.Name, _ = field(args, "host=", ' ')
		if !looksLikeIP(ev.IP) {
			return dst, lineMalformed
		}
	case "failed-command":
		cmd, ok := quotedField(args, "command=")
		if !ok {
			return dst, lineMalformed
		}
		ev.Reply, _ = quotedField(args, "result=")
		return openSMTPDCommand(cmd, ev, dst)
	case "envelope":
		ev.Kind = KindMessage
		from, _ := angleAfter(args, "from=")
		ev.Sender, ev.HasSender = from, true
		ev.Recipient, _ = angleAfter(args, "to=")
		ev.Count = -1
	case "message":
		ev.Kind = KindData
	case "disconnected":
		ev.Kind = KindDisconnect
		ev.Reply, _ = field(args, "reason=", ' ')
	default:
		return openSMTPDUnused(verb, "", ev, dst)
	}
	return emit(dst, ev), lineEvent
}

// openSMTPDCommand turns a failed "RCPT TO:<a>" / "MAIL FROM:<a>" into an event.
func openSMTPDCommand(cmd string, ev *Event, dst []Event) ([]Event, lineStatus) {
	ev.Rejected = true
	upper := strings.ToUpper(cmd)
	switch {
	case strings.HasPrefix(upper, "RCPT TO:"):
		a, _ := angleAt(strings.TrimSpace(cmd[len("RCPT TO:"):]), 0)
		ev.Kind, ev.Recipient = KindRcpt, a
	case strings.HasPrefix(upper, "MAIL FROM:"):
		a, _ := angleAt(strings.TrimSpace(cmd[len("MAIL FROM:"):]), 0)
		ev.Kind, ev.Sender, ev.HasSender = KindMail, a, true
	case strings.HasPrefix(upper, "DATA"):
		ev.Kind = KindData
	default:
		return openSMTPDUnused("failed-command", cmd, ev, dst)
	}
	return emit(dst, ev), lineEvent
}

// parseOldOpenSMTPD reads the pre-6.4 forms:
//
//	New session 08d856b172f69c5c from host ix.example.com [127.0.0.1]
//	Failed command on session 1f55bdcdf16e28a3: "RCPT TO:<a>" => 550 …
//	Accepted message 4296f490 on session 08d856b172f69c5c: from=<a>, to=<b>, size=…
//	Closing session 08d856b172f69c5c
func parseOldOpenSMTPD(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	switch {
	case strings.HasPrefix(s, "New session "):
		id, rest, _ := strings.Cut(s[len("New session "):], " ")
		ev.Session, ev.Kind = id, KindConnect
		rest = strings.TrimPrefix(rest, "from host ")
		name, ip, ok := strings.Cut(rest, " [")
		ev.Name, ev.IP = name, strings.TrimSuffix(ip, "]")
		if !ok || !looksLikeIP(ev.IP) {
			return dst, lineMalformed
		}
	case strings.HasPrefix(s, "Failed command on session "):
		id, rest, ok := strings.Cut(s[len("Failed command on session "):], ": \"")
		if !ok {
			return dst, lineMalformed
		}
		cmd, reply, _ := strings.Cut(rest, "\" => ")
		ev.Session, ev.Reply = id, reply
		return openSMTPDCommand(cmd, ev, dst)
	case strings.HasPrefix(s, "Accepted message "):
		_, rest, ok := strings.Cut(s, " on session ")
		if !ok {
			return dst, lineMalformed
		}
		id, rest, _ := strings.Cut(rest, ": ")
		from, _ := angleAfter(rest, "from=")
		ev.Session, ev.Kind, ev.Sender, ev.HasSender = id, KindMessage, from, true
		ev.Recipient, _ = angleAfter(rest, "to=")
		ev.Count = -1
	case strings.HasPrefix(s, "Closing session "):
		ev.Session, ev.Kind = strings.TrimSpace(s[len("Closing session "):]), KindDisconnect
	default:
		return dst, lineIgnored
	}
	return emit(dst, ev), lineEvent
}

// quotedField reads key="value" (values may contain spaces).
func quotedField(s, key string) (string, bool) {
	i := strings.Index(s, key+"\"")
	if i < 0 {
		return "", false
	}
	v := s[i+len(key)+1:]
	end := strings.IndexByte(v, '"')
	if end < 0 {
		return "", false
	}
	return v[:end], true
}

func isHex16(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
