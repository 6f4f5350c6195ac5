package evidence

import (
	"strings"
	"time"
)

// Exim sessions. Exim logs per transaction, not per connection, and its
// default mainlog line carries no process id: five callouts from one
// prober are five lines from one IP and nothing more. With log_selector
// +pid (or through syslog, whose tag has the pid) the pid names the
// connection. Without it, a connection is inferred from its boundaries:
//
//   - "incomplete transaction (QUIT|connection lost|sync failure)" ends the
//     connection (+smtp_incomplete_transaction, smtp_in.c);
//   - "incomplete transaction (RSET|STARTTLS|HELO|EHLO)" ends a transaction;
//     a later one is the same connection only if it starts at once
//     (eximRsetGap): an Exim callout=random asks for the random address,
//     sends RSET and asks for the real one in the same breath, whereas a
//     Postfix verification probe is a connection of its own;
//   - a new envelope sender (F=<…>) starts a new connection;
//   - "SMTP connection from … closed by QUIT" / "… lost" and
//     "no MAIL in SMTP connection from …" end it (+smtp_connection, and
//     the default smtp_no_mail line);
//   - a gap longer than eximSameConnGap between two lines of one client.
const (
	// eximRsetGap: the commands of one connection follow each other within
	// a round trip; Postfix keeps an idle cached connection for
	// smtp_connection_cache_time_limit (2 s) before it closes it.
	eximRsetGap = 2 * time.Second
	// eximSameConnGap: a callout asks its recipients back to back and gives
	// up after Exim's callout timeout (30 s per command); two lines of one
	// client further apart than that are two connections.
	eximSameConnGap = 30 * time.Second
)

func (a *assembler) exim(ev *Event) {
	k := sessKey{format: fidExim, host: ev.Host, id: ev.Session, sub: ev.IP}
	// An incomplete-transaction line lists its recipients and makes one
	// event each: the later ones continue the first.
	cont := ev.Line == a.eximPrevLine && ev.File == a.eximPrevFile
	a.eximPrevFile, a.eximPrevLine = ev.File, ev.Line
	switch ev.Kind {
	case KindConnect:
		a.ss.start(k).touch(ev)
	case KindRcpt, KindMail, KindNoData:
		a.eximTransaction(k, ev, cont)
	case KindData:
		if s := a.eximSameTransaction(k, ev); s != nil {
			s.touch(ev)
			s.data = true
			a.ss.close(k)
		}
	case KindMessage:
		if ev.IP != "" {
			if s := a.eximSameTransaction(k, ev); s != nil {
				s.touch(ev)
				s.data = true
				a.ss.close(k)
			}
			a.arrival(ev)
		}
		a.queuedMessage(ev)
	case KindDisconnect, KindLost:
		if s := a.ss.find(k); s != nil {
			s.touch(ev)
			s.quitKnown = s.quitKnown || ev.Reply == "QUIT"
			s.dropped = s.dropped || ev.Kind == KindLost
			a.ss.close(k)
		}
	case KindDelivery:
		a.delivery(ev)
	}
}

// eximTransaction records a rejected MAIL/RCPT or an incomplete
// transaction in the client's current connection, opening a new one at a
// boundary.
func (a *assembler) eximTransaction(k sessKey, ev *Event, cont bool) {
	s := a.ss.find(k)
	if s != nil && !cont && a.eximNewConnection(s, ev) {
		a.ss.close(k)
		s = nil
	}
	var began time.Time // the connection's previous line: the command came after it
	if s != nil {
		began = s.end
	}
	s = a.ss.get(k)
	s.touchRcpt(ev)
	if !cont {
		a.camp.senderUseFrom(ev, began)
	}
	if ev.Kind != KindNoData {
		return
	}
	switch ev.Reply {
	case "QUIT":
		s.connEnded, s.quitKnown = true, true
	case "connection lost", "sync failure":
		s.connEnded, s.dropped = true, true
	default:
		s.txEnded = ev.Time
		s.resets++
	}
}

// eximNewConnection tells whether ev, from the same client (and pid, if
// logged) as the open session s, belongs to another connection.
func (a *assembler) eximNewConnection(s *session, ev *Event) bool {
	if s.connEnded {
		return true
	}
	gap := ev.Time.Sub(s.end)
	if ev.Session != "" { // the pid names the connection; a long gap means it was reused
		return gap > a.eximIdle
	}
	switch {
	case gap > eximSameConnGap:
		return true
	case !s.txEnded.IsZero() && ev.Time.Sub(s.txEnded) > eximRsetGap:
		return true
	case ev.HasSender && s.hasSender && !strings.EqualFold(ev.Sender, s.sender):
		return true
	}
	return false
}

// eximSameTransaction returns the open session that a DATA rejection or
// an arrival completes, or nil; without a pid, an open session that ended
// its transaction, or used another sender, is closed as it stands (a
// probe followed by a message from the same host is still a probe).
func (a *assembler) eximSameTransaction(k sessKey, ev *Event) *session {
	s := a.ss.find(k)
	if s == nil {
		return nil
	}
	if a.eximNewConnection(s, ev) || (ev.Session == "" && !s.txEnded.IsZero()) {
		a.ss.close(k)
		return nil
	}
	return s
}
