package evidence

import (
	"strings"
	"time"
)

// sessKey identifies one SMTP session within a format and a logging host:
// Postfix smtpd pid, spamd pid + client IP, Exim pid (if logged) + client
// IP, Sendmail queue id, OpenSMTPD session id.
type sessKey struct {
	format formatID
	host   string
	id     string
	sub    string
}

// formatID is a Format as a small number: session keys are hashed for
// every event, and hashing a string per key costs.
type formatID uint8

const (
	fidNone formatID = iota
	fidPostfix
	fidSpamd
	fidSpamdb
	fidExim
	fidSendmail
	fidOpenSMTPD
)

var formatOfID = [...]Format{FormatAuto, FormatPostfix, FormatSpamd, FormatSpamdb, FormatExim, FormatSendmail, FormatOpenSMTPD}

func (f formatID) Format() Format { return formatOfID[f] }

// rcptSeen is one RCPT TO and its answer.
type rcptSeen struct {
	addr   string
	answer rcptAnswer // what the reply says (rules.go classifyAnswer)
	at     time.Time
}

// session is what one client did in one connection, as far as the log says.
type session struct {
	key       sessKey
	start     time.Time
	end       time.Time
	ip        string
	name      string
	helo      string
	sender    string
	hasSender bool
	rcpts     []rcptSeen
	accepted  int        // recipients accepted without the address being logged (Postfix client=)
	data      bool       // DATA is known to have happened
	stats     *SMTPStats // Postfix disconnect statistics
	txEnded   time.Time  // Exim: when the last transaction ended without DATA and the connection went on (RSET)
	connEnded bool       // Exim: the log says the connection ended (the next line of the client is another one)
	quitKnown bool       // the log says the client ended with QUIT or RSET
	auth      bool       // an Exim rejection says the client authenticated (" A=" after F=<…>)
	dropped   bool       // the log says the session timed out or was lost (no QUIT)
	queued    bool       // a message of a callout-like sender was queued from it (Postfix client= joined to qmgr from=)
	resets    int        // Exim: transactions ended by RSET within the connection
	lines     []Line
	// uses: Postfix refusals naming an own-domain sender from an outside
	// client, kept until the disconnect's statistics say whether the
	// client authenticated (auth=1: our roaming user, not a forger);
	// campaign.flushUses records them when the session closes.
	uses []deferredUse
}

// deferredUse is one such refusal, as campaign.record needs it.
type deferredUse struct {
	at, began         time.Time
	sender, file, raw string
	line              int
}

// touch records an event in the session.
func (s *session) touch(ev *Event) {
	if s.start.IsZero() || ev.Time.Before(s.start) {
		s.start = ev.Time
	}
	if ev.Time.After(s.end) {
		s.end = ev.Time
	}
	if s.ip == "" {
		s.ip = ev.IP
	}
	if s.name == "" && ev.Name != "" && ev.Name != "unknown" {
		s.name = ev.Name
	}
	if ev.Helo != "" {
		s.helo = ev.Helo
	}
	if ev.HasSender && (!s.hasSender || s.sender == "") {
		s.sender, s.hasSender = ev.Sender, true
	}
	if len(s.lines) < maxSessionLines {
		s.lines = append(s.lines, Line{File: ev.File, Line: ev.Line, Raw: ev.Raw})
	}
}

// touchRcpt records an event that names a recipient (RCPT, MAIL, or a
// greylist tuple).
func (s *session) touchRcpt(ev *Event) {
	s.touch(ev)
	s.addRcpt(ev)
	s.auth = s.auth || ev.Authenticated
}

// maxSessionLines bounds what one session keeps: a client that asks for
// thousands of recipients in one connection is still one probe.
const maxSessionLines = 200

// addRcpt records a recipient once.
func (s *session) addRcpt(ev *Event) {
	if ev.Recipient == "" {
		return
	}
	for _, r := range s.rcpts {
		if strings.EqualFold(r.addr, ev.Recipient) {
			return
		}
	}
	if len(s.rcpts) < maxSessionLines {
		answer := ev.answer
		if answer == answerUnset {
			answer = classifyAnswer(ev.Rejected, ev.Reply)
		}
		s.rcpts = append(s.rcpts, rcptSeen{addr: ev.Recipient, answer: answer, at: ev.Time})
	}
}

// sessions holds the open sessions of a scan (of all its inputs: a session
// may go on in the next rotated file) and hands each closed one to onClose,
// where the rules judge it (scan.go). Sessions idle for longer than
// idleLimit (log time) are closed by a sweep, so a log that lost its
// disconnect lines cannot grow memory.
type sessions struct {
	open    map[sessKey]*session
	onClose func(*session)
	closed  int
	free    []*session // closed sessions for reuse: the verdict copies what it keeps
}

// find returns the open session for k, or nil.
func (ss *sessions) find(k sessKey) *session { return ss.open[k] }

const idleLimit = time.Hour

func newSessions(onClose func(*session)) *sessions {
	return &sessions{open: map[sessKey]*session{}, onClose: onClose}
}

// get returns the open session for k, opening one when there is none.
func (ss *sessions) get(k sessKey) *session {
	s := ss.open[k]
	if s == nil {
		s = ss.add(k)
	}
	return s
}

// add opens a session for k, reusing a closed one when there is one.
func (ss *sessions) add(k sessKey) *session {
	var s *session
	if n := len(ss.free); n > 0 {
		s, ss.free = ss.free[n-1], ss.free[:n-1]
	} else {
		s = &session{}
	}
	s.key = k
	ss.open[k] = s
	return s
}

// start opens a fresh session for k, closing a stale one with the same key
// (a pid reused after its disconnect line was lost).
func (ss *sessions) start(k sessKey) *session {
	if old := ss.open[k]; old != nil {
		ss.end(old)
	}
	return ss.add(k)
}

func (ss *sessions) close(k sessKey) {
	if s := ss.open[k]; s != nil {
		ss.end(s)
	}
}

// end closes s, which must be open.
func (ss *sessions) end(s *session) {
	delete(ss.open, s.key)
	ss.closed++
	ss.onClose(s)
	if len(ss.free) < 1024 && cap(s.lines) <= 16 {
		clear(s.lines) // drop every reference into read buffers
		clear(s.rcpts)
		*s = session{lines: s.lines[:0], rcpts: s.rcpts[:0]}
		ss.free = append(ss.free, s)
	}
}

// sweep closes the sessions logged by host and idle since before
// now - idleLimit (now is host's own clock).
func (ss *sessions) sweep(host string, now time.Time) {
	for k, s := range ss.open {
		if k.host == host && now.Sub(s.end) > idleLimit {
			ss.close(k)
		}
	}
}

// closeAll ends every open session (end of input).
func (ss *sessions) closeAll() {
	for k := range ss.open {
		ss.close(k)
	}
}

// rcptAddrs are the recipients the log names, in order.
func (s *session) rcptAddrs() []string {
	out := make([]string, len(s.rcpts))
	for i, r := range s.rcpts {
		out[i] = r.addr
	}
	return out
}
