package evidence

import "strings"

// Recognised lines that no rule reads are counted by kind in
// Stats.Unused, so that an operator sees what was read and left, not a
// lump of "ignored". The kinds are fixed words of each MTA's own log
// format; anything else is "other", so that a log cannot add keys
// without bound. Lines of the queue and delivery side that carry nothing
// about an SMTP client (Postfix cleanup, Exim "Completed", Sendmail
// "stat=" of outbound mail…) stay in Stats.Ignored for every MTA.

// knownWord returns w when it is one of words, else "other".
func knownWord(w string, words ...string) string {
	for _, k := range words {
		if w == k {
			return w
		}
	}
	return "other"
}

// unused marks ev as a recognised, unused line of the given kind.
func unused(ev *Event, dst []Event, kind string) ([]Event, lineStatus) {
	ev.Reply = kind
	return dst, lineUnused
}

// eximUnused names the Exim lines about an SMTP client that no rule reads
// (src/smtp_in.c, src/acl.c): refusals of other commands than MAIL, RCPT
// and DATA ("rejected EHLO or HELO", "rejected VRFY", the connect ACL's
// "rejected connection in \"connect\" ACL", "rejected AUTH"), and the
// protocol errors logged before a session is dropped.
func eximUnused(s string, ev *Event, dst []Event) ([]Event, lineStatus, bool) {
	if ev.QueueID != "" {
		return dst, lineIgnored, false // the message side: deliveries, deferrals
	}
	for _, k := range [...]struct{ in, kind string }{
		{"SMTP protocol synchronization error", "exim synchronization error"},
		{"SMTP syntax error", "exim syntax error"},
		{"dropped: too many ", "exim dropped: too many errors"},
		{"TLS error on connection", "exim TLS error"},
		{"refused: too many connections", "exim connection refused"},
	} {
		if strings.Contains(s, k.in) {
			dst, st := unused(ev, dst, k.kind)
			return dst, st, true
		}
	}
	// "H=… rejected VRFY …", or "rejected EHLO from [ip]: …" at the start.
	_, what, found := strings.Cut(" "+s, " rejected ")
	if !found {
		return dst, lineIgnored, false
	}
	w, _, _ := strings.Cut(what, " ")
	w = strings.Trim(w, "\"")
	if w == "RCPT" || w == "MAIL" || w == "DATA" || w == "after" {
		return dst, lineIgnored, false // read by parseEximMsg
	}
	dst, st := unused(ev, dst, "exim rejected "+knownWord(w, "EHLO", "HELO", "AUTH", "VRFY", "EXPN", "ETRN", "STARTTLS", "connection", "non-SMTP"))
	return dst, st, true
}

// sendmailUnused names the Sendmail lines about an SMTP client that no
// rule reads (sendmail/srvrsmtp.c, sendmail/milter.c): rejects of other
// rulesets (check_relay, check_helo… under NOQUEUE before MAIL), milter
// rejects, "did not issue MAIL/EXPN/VRFY/ETRN", and a lost input channel
// or timeout before any transaction (NOQUEUE: no session to mark).
func sendmailUnused(qid, rest string, ev *Event, dst []Event) ([]Event, lineStatus, bool) {
	var kind string
	switch {
	case strings.HasPrefix(rest, "ruleset="):
		name, _, _ := strings.Cut(rest[len("ruleset="):], ",")
		if qid != "NOQUEUE" && (name == "check_rcpt" || name == "check_mail") {
			return dst, lineIgnored, false // read by parseSendmail
		}
		kind = "sendmail ruleset=" + knownWord(name, "check_relay", "check_helo", "check_mail", "check_rcpt", "check_compat",
			"check_data", "check_eoh", "check_eom", "check_etrn", "check_expn", "check_vrfy", "tls_client", "tls_server", "tls_rcpt")
	case strings.HasPrefix(rest, "Milter") || strings.HasPrefix(rest, "milter="):
		kind = "sendmail milter"
	case strings.Contains(rest, " did not issue "):
		kind = "sendmail did not issue MAIL/EXPN/VRFY/ETRN"
	case qid == "NOQUEUE" && (strings.HasPrefix(rest, "lost input channel ") || strings.HasPrefix(rest, "timeout waiting for input ")):
		kind = "sendmail lost input before MAIL"
	case qid == "NOQUEUE" && strings.HasPrefix(rest, "connect from "):
		kind = "sendmail connect"
	default:
		return dst, lineIgnored, false
	}
	dst, st := unused(ev, dst, kind)
	return dst, st, true
}

// openSMTPDUnused names the OpenSMTPD 6.4+ session lines no rule reads
// (usr.sbin/smtpd/smtp_session.c: "smtp <verb> …"), and failed commands
// other than MAIL, RCPT and DATA.
func openSMTPDUnused(verb, cmd string, ev *Event, dst []Event) ([]Event, lineStatus) {
	if verb == "failed-command" {
		w, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(cmd)), " ")
		return unused(ev, dst, "opensmtpd failed-command "+knownWord(w, "HELO", "EHLO", "AUTH", "STARTTLS", "VRFY", "EXPN", "NOOP", "HELP", "WIZ", "RSET", "QUIT", "BDAT"))
	}
	return unused(ev, dst, "opensmtpd "+knownWord(verb, "tls", "authentication", "protocol-error", "bad-input", "filter-response", "timeout", "tls-error"))
}
