package evidence

import "strings"

// Postfix lines, as written by smtpd, qmgr, cleanup and the delivery agents
// (Postfix src/smtpd/smtpd.c, src/qmgr/qmgr_active.c, src/global/log_adhoc.c).
// Only the shapes that carry sessions, senders and recipients are read; the
// rest of a busy maillog is ignored cheaply by prefix.

func parsePostfix(h *header, ev *Event, dst []Event) ([]Event, lineStatus) {
	ev.Format = FormatPostfix
	ev.Session = h.pid
	// Any syslog_name is accepted (multi-instance "postfix-in/…"): the tag
	// rules only send "postfix…" tags this way unless the format is forced.
	switch h.svc {
	case "smtpd":
		return parsePostfixSmtpd(h.msg, ev, dst)
	case "qmgr":
		return parsePostfixQmgr(h.msg, ev, dst)
	case "postscreen":
		return parsePostscreen(h.msg, ev, dst)
	case "smtp", "lmtp", "local", "virtual", "pipe", "error", "discard", "relay":
		return parsePostfixDelivery(h.msg, h.svc == "smtp", ev, dst)
	}
	return dst, lineIgnored
}

func parsePostfixSmtpd(msg string, ev *Event, dst []Event) ([]Event, lineStatus) {
	switch {
	case strings.HasPrefix(msg, "connect from "):
		return postfixClientEvent(msg[len("connect from "):], KindConnect, ev, dst)
	case strings.HasPrefix(msg, "disconnect from "):
		rest := msg[len("disconnect from "):]
		client, stats, _ := strings.Cut(rest, " ")
		ev.lazy = stats // read on demand: see Event.smtpStats
		return postfixClientEvent(client, KindDisconnect, ev, dst)
	case strings.HasPrefix(msg, "lost connection after "), strings.HasPrefix(msg, "timeout after "):
		return postfixLost(msg, ev, dst)
	}
	qid, rest, ok := queuePrefix(msg)
	if !ok {
		return dst, lineIgnored
	}
	if qid != "NOQUEUE" {
		ev.QueueID = qid
	}
	switch {
	case strings.HasPrefix(rest, "client="):
		client := rest[len("client="):]
		if i := strings.IndexByte(client, ','); i >= 0 {
			// ", sasl_method=PLAIN, sasl_username=alice@…" (smtpd.c)
			ev.Authenticated = strings.Contains(client[i:], ", sasl_username=")
			client = client[:i]
		}
		return postfixClientEvent(client, KindClient, ev, dst)
	case strings.HasPrefix(rest, "reject: "):
		return parsePostfixReject(rest[len("reject: "):], ev, dst)
	case strings.HasPrefix(rest, "milter-reject: "):
		// A milter's answer (smtpd/smtpd_milter.c): the same shape.
		return parsePostfixReject(rest[len("milter-reject: "):], ev, dst)
	}
	return dst, lineIgnored
}

// parsePostscreen reads postscreen(8)'s lines (Postfix src/postscreen):
//
//	CONNECT from [ip]:port to [ip]:25
//	PASS NEW [ip]:port   /   PASS OLD [ip]:port
//	NOQUEUE: reject: RCPT from [ip]:port: 550 5.7.1 Service unavailable; client [ip] blocked using zen.spamhaus.org; from=<>, to=<a@b>, proto=ESMTP, helo=<h>
//	DISCONNECT [ip]:port
//
// One postscreen process serves every client, so its sessions are keyed
// by the client's address and port, not the pid. A client that passes
// goes on to smtpd, which logs its own session.
func parsePostscreen(msg string, ev *Event, dst []Event) ([]Event, lineStatus) {
	client := ""
	kind := KindNone
	switch {
	case strings.HasPrefix(msg, "CONNECT from "):
		client, _, _ = strings.Cut(msg[len("CONNECT from "):], " ")
		kind = KindConnect
	case strings.HasPrefix(msg, "DISCONNECT "):
		client = msg[len("DISCONNECT "):]
		kind = KindDisconnect
	case strings.HasPrefix(msg, "NOQUEUE: reject: "):
		dst, st := parsePostfixReject(msg[len("NOQUEUE: reject: "):], ev, dst)
		if st == lineEvent {
			dst[len(dst)-1].Session = "postscreen " + dst[len(dst)-1].IP
		}
		return dst, st
	default:
		word, _, _ := strings.Cut(msg, " ")
		if word == "" || strings.ToUpper(word) != word {
			return dst, lineIgnored // warnings, statistics
		}
		ev.Reply = "postscreen " + unusedWord(word) // PASS, PREGREET, DNSBL, HANGUP, WHITELISTED…
		return dst, lineUnused
	}
	dst, st := postfixClientEvent(client, kind, ev, dst)
	if st == lineEvent {
		dst[len(dst)-1].Session = "postscreen " + dst[len(dst)-1].IP
	}
	return dst, st
}

// postfixClientEvent fills the client from "name[ip]".
func postfixClientEvent(client string, k Kind, ev *Event, dst []Event) ([]Event, lineStatus) {
	name, ip, ok := nameAddr(client)
	if !ok {
		return dst, lineMalformed
	}
	ev.Kind, ev.Name, ev.IP = k, name, ip
	return emit(dst, ev), lineEvent
}

// postfixLost reads "lost connection after CMD from name[ip]" (Postfix before
// 3.0 has no disconnect statistics; "after DATA" still tells DATA happened).
func postfixLost(msg string, ev *Event, dst []Event) ([]Event, lineStatus) {
	_, rest, _ := strings.Cut(msg, " after ")
	cmd, client, ok := strings.Cut(rest, " from ")
	if !ok {
		return dst, lineMalformed
	}
	if i := strings.IndexByte(client, ' '); i >= 0 {
		client = client[:i]
	}
	if cmd != "DATA" && cmd != "END-OF-MESSAGE" && cmd != "BDAT" {
		// Dropped or timed out before DATA: no QUIT, so no callout can
		// be read from the session (rules.go WhyDropped).
		ev.Reply = cmd
		return postfixClientEvent(client, KindLost, ev, dst)
	}
	return postfixClientEvent(client, KindData, ev, dst)
}

// parsePostfixReject reads the rest of "reject: RCPT from name[ip]: 550 …;
// from=<s> to=<r> proto=ESMTP helo=<h>" (smtpd_check.c, log_whatsup).
func parsePostfixReject(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	cmd, rest, ok := strings.Cut(s, " from ")
	if !ok {
		return dst, lineMalformed
	}
	colon := strings.Index(rest, ": ")
	if colon < 0 {
		return dst, lineMalformed
	}
	name, ip, ok := nameAddr(rest[:colon])
	if !ok {
		return dst, lineMalformed
	}
	ev.Name, ev.IP, ev.Rejected = name, ip, true
	reply := rest[colon+2:]
	tail := ""
	if i := strings.LastIndex(reply, "; from=<"); i >= 0 {
		reply, tail = reply[:i], reply[i+2:]
	}
	ev.Reply = reply
	// postscreen separates the fields with ", " (from=<>, to=<…>, …)
	if from, ok := angleAfter(tail, "from="); ok {
		ev.Sender, ev.HasSender = from, true
	}
	ev.Recipient, _ = angleAfter(tail, " to=")
	ev.Helo, _ = angleAfter(tail, " helo=")
	switch cmd {
	case "RCPT":
		ev.Kind = KindRcpt
	case "MAIL":
		ev.Kind = KindMail
	case "DATA", "END-OF-MESSAGE", "BDAT":
		ev.Kind = KindData
	default:
		ev.Reply = "postfix reject " + unusedWord(cmd) // CONNECT, EHLO, VRFY…: nothing about a recipient
		return dst, lineUnused
	}
	return emit(dst, ev), lineEvent
}

// parseSMTPStats reads Postfix 3.0+ disconnect statistics. A missing
// counter is 0 there, since Postfix only prints commands that were used.
func parseSMTPStats(s string) *SMTPStats {
	st, ok := parseSMTPStatsValue(s)
	if !ok {
		return nil
	}
	return &st
}

// parseSMTPStatsValue reads the statistics without allocating. Tokens are
// split at single spaces and keys at their first '='.
func parseSMTPStatsValue(s string) (SMTPStats, bool) {
	var st SMTPStats
	seen := false
	for len(s) > 0 {
		end := strings.IndexByte(s, ' ')
		tok := s
		if end >= 0 {
			tok, s = s[:end], s[end+1:]
		} else {
			s = ""
		}
		eq := strings.IndexByte(tok, '=')
		if eq <= 0 {
			continue
		}
		ok1, all := splitRatio(tok[eq+1:])
		switch tok[:eq] {
		case "mail":
			st.Mail = all
		case "rcpt":
			st.RcptOK, st.RcptAll = ok1, all
		case "data", "bdat":
			st.Data += all
		case "rset":
			st.Rset = all
		case "quit":
			st.Quit = all
		case "auth":
			st.Auth = ok1
		case "commands":
			st.Commands, seen = all, true
		}
	}
	return st, seen
}

// splitRatio reads "n" or "ok/all".
func splitRatio(v string) (ok, all int) {
	i := strings.IndexByte(v, '/')
	if i < 0 {
		n := atoi(v)
		return n, n
	}
	return atoi(v[:i]), atoi(v[i+1:])
}

// parsePostfixQmgr reads "QID: from=<s>, size=N, nrcpt=N (queue active)" and
// "QID: removed".
func parsePostfixQmgr(msg string, ev *Event, dst []Event) ([]Event, lineStatus) {
	qid, rest, ok := queuePrefix(msg)
	if !ok {
		return dst, lineIgnored
	}
	ev.QueueID, ev.Session = qid, ""
	switch {
	case strings.HasPrefix(rest, "from=<"):
		from, ok := angleAt(rest, len("from="))
		if !ok {
			return dst, lineMalformed
		}
		ev.Kind, ev.Sender, ev.HasSender = KindMessage, from, true
		ev.Count = -1
		ev.lazy = rest // nrcpt= is read on demand: see Event.fillLazy
		return emit(dst, ev), lineEvent
	case rest == "removed":
		ev.Kind = KindRemoved
		return emit(dst, ev), lineEvent
	}
	return dst, lineIgnored
}

// parsePostfixDelivery reads "QID: to=<r>, [orig_to=<o>,] relay=…, status=sent".
// For the smtp client (remote), the relay it talked to, "relay=name[ip]:port"
// (Postfix src/global/log_adhoc.c), goes to Name and IP: the host that was
// connected while the delivery ran (ruleOwnMailRelayed). "relay=none"
// (no connection) leaves them empty.
func parsePostfixDelivery(msg string, remote bool, ev *Event, dst []Event) ([]Event, lineStatus) {
	qid, rest, ok := queuePrefix(msg)
	if !ok || !strings.HasPrefix(rest, "to=<") {
		return dst, lineIgnored
	}
	to, ok := angleAt(rest, len("to="))
	if !ok {
		return dst, lineMalformed
	}
	ev.Kind, ev.QueueID, ev.Session, ev.Recipient = KindDelivery, qid, "", to
	if remote {
		if relay, ok := field(rest, "relay=", ','); ok {
			if name, ip, ok := nameAddr(relay); ok {
				ev.Name, ev.IP = name, ip
			}
		}
	}
	ev.lazy = rest // status= is read on demand: see Event.fillLazy
	return emit(dst, ev), lineEvent
}

// unusedWord names a kind of unused line by a word of it: Postfix's own
// upper-case words, anything else as "other", so that a stranger's text
// cannot add keys to Stats.Unused without bound.
func unusedWord(w string) string {
	if len(w) == 0 || len(w) > 16 {
		return "other"
	}
	for _, c := range []byte(w) {
		if (c < 'A' || c > 'Z') && c != '-' && c != '_' {
			return "other"
		}
	}
	return w
}
