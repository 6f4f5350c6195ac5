package evidence

import "strings"

// Sendmail lines (sendmail/srvrsmtp.c, sendmail/parseaddr.c, logsender()).
// A rejected RCPT is logged under the queue id without the sender; the
// sender comes later on the "from=<…>, …, nrcpts=N" line of the same id,
// which Sendmail writes when the transaction ends (nrcpts=0 when no
// recipient was accepted and no DATA followed).

func parseSendmail(h *header, ev *Event, dst []Event) ([]Event, lineStatus) {
	ev.Format = FormatSendmail
	qid, rest, ok := queuePrefix(h.msg)
	if !ok {
		return dst, lineIgnored
	}
	if dst, st, ok := sendmailUnused(qid, rest, ev, dst); ok || qid == "NOQUEUE" {
		return dst, st
	}
	ev.QueueID, ev.Session = qid, qid
	switch {
	case strings.HasPrefix(rest, "ruleset=check_rcpt, "):
		return sendmailRuleset(rest, KindRcpt, ev, dst)
	case strings.HasPrefix(rest, "ruleset=check_mail, "):
		return sendmailRuleset(rest, KindMail, ev, dst)
	case strings.HasPrefix(rest, "from="):
		return sendmailFrom(rest, ev, dst)
	case strings.HasPrefix(rest, "to="):
		to, _, _ := strings.Cut(rest[len("to="):], ", ")
		ev.Kind, ev.Recipient = KindDelivery, stripAngles(to)
		ev.Reply, _ = field(rest, "stat=", ',')
		return emit(dst, ev), lineEvent
	case strings.HasPrefix(rest, "lost input channel from "), strings.HasPrefix(rest, "timeout waiting for input from "):
		return sendmailLost(rest, ev, dst)
	case strings.HasPrefix(rest, "<") && strings.Contains(rest, ">... "):
		// "QID: <addr>... User unknown" (parseaddr.c usrerr)
		addr, reply, _ := strings.Cut(rest[1:], ">... ")
		ev.Kind, ev.Recipient, ev.Reply, ev.Rejected = KindRcpt, addr, reply, true
		return emit(dst, ev), lineEvent
	}
	return dst, lineIgnored
}

// sendmailRuleset reads "ruleset=check_rcpt, arg1=<a>, relay=name [ip],
// reject=550 5.1.1 <a>... User unknown".
func sendmailRuleset(s string, k Kind, ev *Event, dst []Event) ([]Event, lineStatus) {
	arg, ok := field(s, "arg1=", ',')
	if !ok {
		return dst, lineMalformed
	}
	sendmailRelay(s, ev)
	ev.Reply, _ = field(s, "reject=", '\n')
	ev.Kind, ev.Rejected = k, ev.Reply != ""
	if k == KindRcpt {
		ev.Recipient = stripAngles(arg)
	} else {
		ev.Sender, ev.HasSender = stripAngles(arg), true
	}
	return emit(dst, ev), lineEvent
}

// sendmailFrom reads "from=<s>, size=N, class=0, nrcpts=N, …, relay=name [ip]".
func sendmailFrom(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	from, _, _ := strings.Cut(s[len("from="):], ", ")
	ev.Kind, ev.Sender, ev.HasSender = KindMessage, stripAngles(from), true
	ev.Count = -1
	if n, ok := field(s, "nrcpts=", ','); ok {
		ev.Count = atoi(n)
	}
	ev.Size = -1
	if n, ok := field(s, "size=", ','); ok {
		ev.Size = atoi(n)
	}
	sendmailRelay(s, ev)
	return emit(dst, ev), lineEvent
}

// unmapIPv4 gives an IPv4-mapped IPv6 address ("::ffff:192.0.2.1", as
// Sendmail logs IPv4 clients on an IPv6 socket) in its IPv4 form, so that
// one host is one prober and its abuse contact is looked up by the
// address it has; anything else is returned as it is.
func unmapIPv4(ip string) string {
	const mapped = "::ffff:"
	if len(ip) > len(mapped) && strings.EqualFold(ip[:len(mapped)], mapped) && strings.Count(ip, ".") == 3 {
		return ip[len(mapped):]
	}
	return ip
}

// sendmailRelay reads "relay=name [ip]", "relay=[ip]" and the
// "(may be forged)" variant.
func sendmailRelay(s string, ev *Event) {
	relay, ok := field(s, "relay=", ',')
	if !ok {
		return
	}
	open := strings.IndexByte(relay, '[')
	if open < 0 {
		return
	}
	end := strings.IndexByte(relay[open:], ']')
	if end < 0 {
		return
	}
	if ip := relay[open+1 : open+end]; looksLikeIP(ip) {
		ev.IP = ip
	} else if strings.HasPrefix(ip, "IPv6:") {
		ev.IP = unmapIPv4(ip[len("IPv6:"):])
	}
	ev.Name = strings.TrimSpace(relay[:open])
}

// sendmailLost reads the two lines Sendmail writes when a client leaves
// without QUIT, both under the transaction's queue id once MAIL was
// given (before it Sendmail writes them under NOQUEUE, and no rule
// needs them):
//
//   - srvrsmtp.c smtp(), at end of file on the command stream:
//     sm_syslog(LOG_NOTICE, e->e_id, "lost input channel from %s to %s
//     after %s", CurSmtpClient, daemon_name, command), e.g. "lost input
//     channel from client.example [192.0.2.7] to MTA after rcpt"
//     (CurSmtpClient is the relay's "name [ip]", as on the from= line);
//   - util.c sfgets(), when the read times out: "timeout waiting for
//     input from %.100s during %s" with CURHOSTNAME (a name, sometimes
//     without its address) and what was read, e.g. "during server cmd
//     read".
//
// Either says the session was dropped (no QUIT or RSET): a callout
// always says goodbye, so the session is not accused (WhyDropped).
func sendmailLost(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	ev.Kind, ev.Reply = KindLost, "lost"
	from, _ := field(s, "from ", '\n')
	if strings.HasPrefix(s, "timeout") {
		ev.Reply = "timeout"
	}
	if end := strings.Index(from, "] "); end >= 0 {
		from = from[:end+1]
	}
	sendmailRelay("relay="+from, ev)
	return emit(dst, ev), lineEvent
}
