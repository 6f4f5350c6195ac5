package evidence

import "strings"

// Exim mainlog lines (Exim src/log.c, src/smtp_in.c, src/receive.c). Exim
// logs per message, not per connection: a callout leaves one "rejected RCPT"
// line per address, keyed here by the process id when log_selector has +pid
// and by the client IP otherwise (exim_session.go tells that client's
// connections apart; exim_conn.go reads the lines that end them).

// parseEximLine reads a mainlog line, stamp first.
func parseEximLine(line string, ev *Event, dst []Event) ([]Event, lineStatus) {
	st, rest, ok := parseEximStamp(line)
	if !ok {
		return dst, lineMalformed
	}
	ev.stamp = st
	return parseEximMsg(rest, ev, dst)
}

// parseExim reads Exim lines that came through syslog or journald: the
// message may carry Exim's own stamp too (the double-stamp form), which has
// the year, so it wins over the syslog one.
func parseExim(h *header, ev *Event, dst []Event) ([]Event, lineStatus) {
	msg := h.msg
	if st, rest, ok := parseEximStamp(msg); ok {
		ev.stamp, msg = st, rest
	}
	ev.Session = h.pid
	return parseEximMsg(msg, ev, dst)
}

func parseEximMsg(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	ev.Format = FormatExim
	if len(s) > 2 && s[0] == '[' { // log_selector +pid: "[5718] "
		end := strings.IndexByte(s, ']')
		if end < 0 || end+2 > len(s) {
			return dst, lineMalformed
		}
		ev.Session, s = s[1:end], trimOneSpace(s[end+1:])
	}
	if id, rest, ok := strings.Cut(s, " "); ok && isEximID(id) {
		ev.QueueID, s = id, rest
	}
	switch {
	case ev.QueueID != "" && strings.HasPrefix(s, "<= "):
		return eximArrival(s[3:], ev, dst)
	case ev.QueueID != "" && len(s) > 3 && (s[:3] == "=> " || s[:3] == "-> " || s[:3] == "*> " || s[:3] == "** "):
		addr, rest, _ := strings.Cut(s[3:], " ")
		if strings.HasPrefix(rest, "<") {
			// "=> erin <erin@victim2.test> R=local_users": when routing
			// changed the address, Exim logs the original after it in
			// angles (Exim specification, chapter "Log files").
			addr, _, _ = strings.Cut(rest, " ")
		}
		ev.Kind, ev.Recipient, ev.Reply = KindDelivery, stripAngles(addr), s[:2]
		return emit(dst, ev), lineEvent
	}
	if strings.Contains(s, "incomplete transaction (") {
		return eximIncomplete(s, ev, dst)
	}
	if k, rest, ok := eximConnection(s); ok {
		return eximConnectionEvent(k, rest, ev, dst)
	}
	if dst, st, ok := eximUnused(s, ev, dst); ok {
		return dst, st
	}
	i := strings.Index(s, " rejected ")
	if i < 0 || !eximHost(s, ev) {
		return dst, lineIgnored
	}
	what := s[i+len(" rejected "):]
	if from, ok := angleAfter(s[:i], "F="); ok {
		ev.Sender, ev.HasSender = from, true
	}
	ev.Authenticated = eximRejectAuth(s[:i])
	ev.Rejected = true
	switch {
	case strings.HasPrefix(what, "RCPT "):
		rcpt, reply, _ := strings.Cut(what[len("RCPT "):], ": ")
		if strings.HasSuffix(s[:i], "temporarily") {
			reply = "451 temporarily rejected: " + reply // Exim's 4xx ACL answer
		}
		ev.Kind, ev.Recipient, ev.Reply = KindRcpt, stripAngles(rcpt), reply
	case strings.HasPrefix(what, "MAIL "):
		ev.Kind = KindMail
	case strings.HasPrefix(what, "after DATA"), strings.HasPrefix(what, "DATA"):
		ev.Kind = KindData
	default:
		return dst, lineIgnored
	}
	return emit(dst, ev), lineEvent
}

// eximArrival reads "<= sender H=name (helo) [ip] P=esmtp S=1234 …"; the
// null sender is written "<>".
func eximArrival(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	sender, rest, _ := strings.Cut(s, " ")
	if sender == "<>" {
		sender = ""
	}
	ev.Kind, ev.Sender, ev.HasSender = KindMessage, sender, true
	ev.Count = -1
	// " A=plain_server:carl@ours2.test": the client authenticated
	// (log_selector authenticator, on by default).
	ev.Authenticated = strings.Contains(rest, " A=")
	eximHost(rest, ev) // local submissions have U= and no H=
	return emit(dst, ev), lineEvent
}

// eximIncomplete reads the +smtp_incomplete_transaction line: the client
// ended a transaction (RSET or QUIT) after MAIL/RCPT without DATA:
// "H=(helo) [ip] incomplete transaction (RSET) from <sender> for rcpt…".
func eximIncomplete(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	if !eximHost(s, ev) {
		return dst, lineMalformed
	}
	if from, ok := angleAfter(s, "F="); ok {
		ev.Sender, ev.HasSender = from, true
	} else if from, ok := angleAfter(s, ") from "); ok {
		// Exim 4.96: "H=(helo) [ip] incomplete transaction (RSET) from <s> for r"
		ev.Sender, ev.HasSender = from, true
	}
	ev.Kind = KindNoData
	// What ended the transaction: RSET, STARTTLS, HELO/EHLO end only the
	// transaction; QUIT, "connection lost", "sync failure" end the
	// connection (smtp_in.c incomplete_transaction_log callers).
	if _, why, ok := strings.Cut(s, "incomplete transaction ("); ok {
		ev.Reply, _, _ = strings.Cut(why, ")")
	}
	_, rcpts, ok := strings.Cut(s, " for ")
	if !ok {
		return emit(dst, ev), lineEvent
	}
	// One event a recipient, each a copy of base: ev may be the slot the
	// first of them lands in (see emit), and must not change after it.
	base := *ev
	for rcpts != "" {
		var r string
		r, rcpts, _ = strings.Cut(rcpts, " ")
		if r = stripAngles(r); r != "" {
			e := base
			e.Recipient = r
			dst = append(dst, e)
		}
	}
	return dst, lineEvent
}

// eximHost reads "H=name (helo) [ip]:port", "H=(helo) [ip]" or "H=name [ip]"
// (Exim host_and_ident: the HELO is shown only when it differs from the name).
func eximHost(s string, ev *Event) bool {
	i := strings.Index(s, "H=")
	for i > 0 && s[i-1] != ' ' {
		j := strings.Index(s[i+2:], "H=")
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	if i < 0 {
		return false
	}
	return eximHostAt(s[i+2:], ev)
}

// eximHostAt reads "name (helo) [ip]:port…" at the start of s (Exim's
// host_and_ident and sender_fullhost). A HELO may itself be an address
// literal, "([10.0.0.1])", so the client's bracket is the first one
// outside parentheses.
func eximHostAt(s string, ev *Event) bool {
	open := clientBracket(s)
	if open < 0 {
		return false
	}
	end := strings.IndexByte(s[open:], ']')
	if end < 0 {
		return false
	}
	ip := s[open+1 : open+end]
	if !looksLikeIP(ip) {
		return false
	}
	ev.IP = ip
	if ev.Sub == "" {
		ev.Sub = ip
	}
	names := strings.TrimSpace(s[:open])
	if strings.HasPrefix(names, "(") {
		ev.Helo = strings.TrimSuffix(names[1:], ")")
		return true
	}
	name, helo, found := strings.Cut(names, " (")
	ev.Name = name
	if found {
		ev.Helo = strings.TrimSuffix(helo, ")")
	} else {
		ev.Helo = name
	}
	return true
}

// isEximID accepts "1qAbCd-000123-Ab" (before 4.97) and the longer
// "1qAbCd-00000000123-Abcd" of 4.97 and later.
func isEximID(s string) bool {
	switch len(s) {
	case 16:
		return s[6] == '-' && s[13] == '-' && isQueueID(s)
	case 23:
		return s[6] == '-' && s[18] == '-' && isQueueID(s)
	}
	return false
}

// eximRejectAuth tells whether a rejection's text before " rejected "
// names an authenticated client: Exim's smtp_handle_acl writes
// " F=<sender> A=authenticator:id" for a RCPT or DATA refused after AUTH
// (smtp_in.c, sender_info). Only an A= right after F=<…> counts.
func eximRejectAuth(s string) bool {
	j := strings.Index(s, " F=<")
	if j < 0 {
		return false
	}
	k := strings.IndexByte(s[j+4:], '>')
	return k >= 0 && strings.HasPrefix(s[j+4+k+1:], " A=")
}
