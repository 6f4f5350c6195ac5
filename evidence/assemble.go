package evidence

import (
	"strings"
	"time"
)

// qidKey names a queue id on one logging host.
type qidKey struct{ host, id string }

// qidInfo is what is known of a queued message before its sender shows up.
type qidInfo struct {
	ip      string
	name    string // the client's reverse name (explain.go's client families)
	auth    bool   // the client authenticated (SMTP AUTH): its own-domain sender is our user's
	at      time.Time
	bounce  bool    // the message has the null sender: its deliveries are bounces
	sess    sessKey // the smtpd session that opened it (Postfix client=), if known
	hasSess bool
	ownFrom string // the sender, when the message is our own mail (own network, local, AUTH)
}

// assembler turns events, in file order, into sessions and campaign facts.
type assembler struct {
	ss        *sessions
	camp      *campaign
	queue     map[qidKey]qidInfo // Postfix/Exim/Sendmail queue ids still open
	spamdByIP map[qidKey]sessKey // spamd: client IP -> its open connection
	eximIdle  time.Duration      // Exim with a pid: a gap after which lines form a new session
	// The previous Exim event's line: an incomplete-transaction line makes
	// one event per recipient, and only the first opens or counts anything.
	eximPrevFile string
	eximPrevLine int
	// hostNow is each logging host's latest time: idle sweeps and held
	// probes go by the clock of the host that logged them, so a host whose
	// clock runs ahead does not close another's sessions.
	hostNow   map[string]time.Time
	lastHost  string // the host of the last tick and its clock then
	lastNow   time.Time
	hostSwept map[string]time.Time
	// delivered is told of every message taken with DATA from a client
	// (explain.go): client IP, HELO if logged, sender, time.
	delivered func(ip, name, helo, sender string, at time.Time)
	// ownMail is told of every message from an own address that entered
	// the queue from an own network or a local submission (explain.go).
	ownMail func(sender string, at time.Time)
	// deliveredTo is told of every message from an outside client
	// delivered to an own address (explain.go, ruleVerifiedThenDelivered).
	deliveredTo func(ip, name, rcpt string, at time.Time)
	// ownRelayed is told of every remote delivery attempt of our own mail
	// (Postfix smtp "relay=name[ip]:port"): the relay, the own sender,
	// the time (explain.go, ruleOwnMailRelayed).
	ownRelayed func(ip, name, sender string, at time.Time)
	// arrivals remembers the client of the last Exim arrivals ("<=") by
	// message id, for their "=>" lines (a ring: bounded, see arrival).
	arrivals    map[qidKey]qidInfo
	arrivalRing []qidKey
	arrivalNext int
	// advanced is told when a host's clock moves on (explain.go releases
	// held probes by it, line by line, so that no result depends on where
	// the read buffers end).
	advanced func(host string, now time.Time)
}

func newAssembler(camp *campaign, onClose func(*session)) *assembler {
	return &assembler{
		ss:          newSessions(onClose),
		camp:        camp,
		queue:       map[qidKey]qidInfo{},
		spamdByIP:   map[qidKey]sessKey{},
		eximIdle:    5 * time.Minute,
		hostNow:     map[string]time.Time{},
		hostSwept:   map[string]time.Time{},
		delivered:   func(string, string, string, string, time.Time) {},
		ownMail:     func(string, time.Time) {},
		deliveredTo: func(string, string, string, time.Time) {},
		ownRelayed:  func(string, string, string, time.Time) {},
		arrivals:    map[qidKey]qidInfo{},
		advanced:    func(string, time.Time) {},
	}
}

// add takes one event.
func (a *assembler) add(ev *Event) {
	switch ev.Format {
	case FormatPostfix:
		a.postfix(ev)
	case FormatSpamd:
		a.spamd(ev)
	case FormatSpamdb:
		a.spamdb(ev)
	case FormatExim:
		a.exim(ev)
	case FormatSendmail:
		a.sendmail(ev)
	case FormatOpenSMTPD:
		a.opensmtpd(ev)
	}
	a.tick(ev.Host, ev.Time)
}

// tick advances host's clock to t and sweeps that host's idle sessions
// every 10 minutes of its time.
func (a *assembler) tick(host string, t time.Time) {
	if host == a.lastHost && !t.After(a.lastNow) {
		return // the usual case: the same host, its clock not moved on
	}
	defer func() { a.lastHost, a.lastNow = strings.Clone(host), a.hostNow[host] }()
	now, ok := a.hostNow[host]
	if !ok {
		host = strings.Clone(host)
	}
	if !ok || t.After(now) {
		a.hostNow[host] = t
		now = t
		a.advanced(host, now)
	}
	if now.Sub(a.hostSwept[host]) > 10*time.Minute {
		a.sweep(host, now)
	}
}

// sweep closes host's idle sessions and forgets its queue ids that never
// finished.
func (a *assembler) sweep(host string, now time.Time) {
	if _, ok := a.hostSwept[host]; !ok {
		host = strings.Clone(host)
	}
	a.hostSwept[host] = now
	a.ss.sweep(host, now)
	for k, q := range a.queue {
		if k.host == host && now.Sub(q.at) > 2*idleLimit {
			delete(a.queue, k)
		}
	}
}

// finish closes everything still open (end of an input).
func (a *assembler) finish() {
	a.ss.closeAll()
	clear(a.queue)
	clear(a.spamdByIP)
}

func (a *assembler) postfix(ev *Event) {
	k := sessKey{format: fidPostfix, host: ev.Host, id: ev.Session}
	switch ev.Kind {
	case KindConnect:
		a.ss.start(k).touch(ev)
	case KindRcpt, KindMail:
		s := a.ss.get(k)
		// smtpd logs a rejection when it answers; with
		// reject_unverified_sender that is after its own callout, so the
		// use is also dated by the session's previous line (its connect).
		began := s.end
		s.touchRcpt(ev)
		if a.camp.forgedSender(ev) && len(s.uses) < maxSessionLines {
			// Postfix logs AUTH only in the disconnect statistics: the
			// session's close decides (campaign.flushUses).
			s.uses = append(s.uses, deferredUse{at: ev.Time, began: began, sender: ev.Sender, file: ev.File, raw: ev.Raw, line: ev.Line})
		} else {
			a.camp.senderUseFrom(ev, began)
		}
	case KindData:
		s := a.ss.get(k)
		s.touch(ev)
		s.data = true
	case KindClient:
		if ev.Session != "" { // "": a session the worker found boring, queue only
			s := a.ss.get(k)
			s.touch(ev)
			s.accepted++
		}
		if ev.QueueID != "" {
			// Copied: a queue id may stay for hours, its chunk should not.
			qk := qidKey{strings.Clone(ev.Host), strings.Clone(ev.QueueID)}
			a.queue[qk] = qidInfo{ip: strings.Clone(ev.IP), name: strings.Clone(ev.Name), auth: ev.Authenticated, at: ev.Time, sess: cloneKey(k), hasSess: ev.Session != ""}
		}
	case KindLost:
		if s := a.ss.open[k]; s != nil {
			s.touch(ev)
			s.dropped = true
		}
	case KindDisconnect:
		s := a.ss.open[k]
		if s == nil {
			return // nothing of interest happened in this session
		}
		s.touch(ev)
		if st := ev.smtpStats(); st != nil {
			s.stats = st
			s.data = s.data || st.Data > 0
			// Postfix counts only the commands a client sent: without
			// quit= or rset= it left without saying goodbye.
			s.quitKnown = st.Quit > 0 || st.Rset > 0
			s.dropped = s.dropped || !s.quitKnown
		}
		a.ss.end(s)
	case KindMessage:
		a.queuedMessage(ev)
	case KindDelivery:
		a.delivery(ev)
	case KindRemoved:
		delete(a.queue, qidKey{ev.Host, ev.QueueID})
	}
}

// queuedMessage joins a message's sender with the client that sent it.
// A message without a known client was submitted locally: its sender is
// a used own address, never a forged one.
func (a *assembler) queuedMessage(ev *Event) {
	qk := qidKey{ev.Host, ev.QueueID}
	q, ok := a.queue[qk]
	if !ok {
		q = qidInfo{at: ev.Time, ip: ev.IP, name: ev.Name, auth: ev.Authenticated}
	}
	ip := ev.IP
	ev.IP = q.ip
	if received(ev) && mayBeCalloutSender(ev.Sender) {
		// Postfix 2.x logs no statistics: the queue manager's line is
		// what says the session sent DATA. Only messages whose sender a
		// callout could use matter (the prefilter keeps exactly those).
		if q.hasSess {
			if s := a.ss.open[q.sess]; s != nil {
				s.queued = true
			}
		}
		if q.ip != "" {
			a.delivered(q.ip, q.name, ev.Helo, ev.Sender, ev.Time)
		}
	}
	// Dated by its queue lines only: the worker may have dropped the
	// session of an accepted message (boringFilter), and with it the
	// connect time, so a verified sender's use can follow its probe by up
	// to verifyLag (see forgedUseFor).
	auth := ev.Authenticated
	ev.Authenticated = auth || q.auth // Postfix: on the client= line only
	a.camp.senderUse(ev)
	ownMail := a.camp.ownSender(ev) && (ev.IP == "" || ev.Authenticated || a.camp.ownIP(ev.IP))
	if ownMail {
		a.ownMail(ev.Sender, ev.Time)
	}
	ev.IP, ev.Authenticated = ip, auth
	if bounce := ev.HasSender && ev.Sender == ""; bounce || ok || (ownMail && ev.Format == FormatPostfix) {
		// Kept for the queue id's deliveries: a bounce's (backscatter),
		// our own mail's remote ones (ruleOwnMailRelayed); swept with
		// the queue (sweep), forgotten at "removed".
		q.bounce = bounce
		if ownMail {
			q.ownFrom = strings.Clone(ev.Sender)
		}
		q.ip, q.name = strings.Clone(q.ip), strings.Clone(q.name)
		a.queue[qidKey{strings.Clone(qk.host), strings.Clone(qk.id)}] = q
	}
}

// received tells whether a message line says a message came in with DATA:
// Postfix's queue manager and Exim's "<=" always; Sendmail's "from=" only
// with recipients and a body (size=0, nrcpts=0 or 1: the client quit
// before DATA).
func received(ev *Event) bool {
	if ev.Format == FormatSendmail {
		return ev.Count > 0 && ev.Size != 0
	}
	return true
}

// maxArrivals bounds the Exim arrivals kept for their deliveries: Exim
// delivers a message right after its "<=" line unless it is queued
// (queue_only, a busy queue), and a verification is matched only within
// verifyThenDeliverWindow.
const maxArrivals = 4096

// arrival remembers an Exim message from an outside client for its
// deliveries.
func (a *assembler) arrival(ev *Event) {
	if ev.IP == "" || a.camp.ownIP(ev.IP) {
		return
	}
	k := qidKey{strings.Clone(ev.Host), strings.Clone(ev.QueueID)}
	if len(a.arrivalRing) < maxArrivals {
		a.arrivalRing = append(a.arrivalRing, k)
	} else {
		delete(a.arrivals, a.arrivalRing[a.arrivalNext])
		a.arrivalRing[a.arrivalNext] = k
		a.arrivalNext = (a.arrivalNext + 1) % maxArrivals
	}
	a.arrivals[k] = qidInfo{ip: strings.Clone(ev.IP), name: strings.Clone(ev.Name), at: ev.Time}
}

// delivery records a bounce delivered to an own address (backscatter),
// and a message from an outside client delivered to an own address.
func (a *assembler) delivery(ev *Event) {
	if in, ok := a.arrivals[qidKey{ev.Host, ev.QueueID}]; ok && ev.Recipient != "" {
		a.deliveredTo(in.ip, in.name, ev.Recipient, ev.Time)
	}
	q, ok := a.queue[qidKey{ev.Host, ev.QueueID}]
	if ok && q.ownFrom != "" && ev.IP != "" && ev.Format == FormatPostfix {
		a.ownRelayed(ev.IP, ev.Name, q.ownFrom, ev.Time)
	}
	if !ok || !q.bounce {
		return
	}
	ip := ev.IP
	ev.IP = q.ip
	a.camp.bounceTo(ev)
	ev.IP = ip
}

func (a *assembler) spamd(ev *Event) {
	k := sessKey{format: fidSpamd, host: ev.Host, id: ev.Session, sub: ev.Sub}
	ipk := qidKey{ev.Host, ev.IP}
	switch ev.Kind {
	case KindConnect:
		a.ss.start(k).touch(ev)
		a.spamdByIP[qidKey{strings.Clone(ipk.host), strings.Clone(ipk.id)}] = cloneKey(k)
	case KindRcpt:
		a.ss.get(k).touchRcpt(ev)
		if _, ok := a.spamdByIP[ipk]; !ok {
			a.spamdByIP[qidKey{strings.Clone(ipk.host), strings.Clone(ipk.id)}] = cloneKey(k)
		}
		if ev.Reply == spamdGrey {
			a.camp.greyUse(ev, false)
		} else {
			a.camp.senderUse(ev) // (BLACK): a trapped host, no greylist entry
		}
	case KindGrey:
		// Logged by the greylister under its own pid: join on the IP.
		if ck, ok := a.spamdByIP[ipk]; ok {
			if s := a.ss.find(ck); s != nil {
				s.touchRcpt(ev)
				return
			}
		}
		solo := sessKey{format: fidSpamd, host: ev.Host, id: "grey", sub: ev.IP}
		s := a.ss.start(solo)
		s.touchRcpt(ev)
		a.camp.greyUse(ev, false)
		a.ss.close(solo)
	case KindDisconnect:
		if s := a.ss.find(k); s != nil {
			s.touch(ev)
			a.ss.close(k)
		}
		delete(a.spamdByIP, ipk)
	}
}

// spamdb: every GREY entry is one tuple seen at its "first" time; the
// hourly dumps repeat entries, which the prober aggregation merges and the
// campaign counts once (campaign_grey.go).
func (a *assembler) spamdb(ev *Event) {
	if ev.Kind != KindGrey {
		return
	}
	s := &session{key: sessKey{format: fidSpamdb, sub: ev.IP}}
	s.touchRcpt(ev)
	a.camp.greyUse(ev, true)
	a.ss.closed++
	a.ss.onClose(s)
}

func (a *assembler) sendmail(ev *Event) {
	k := sessKey{format: fidSendmail, host: ev.Host, id: ev.Session}
	switch ev.Kind {
	case KindRcpt, KindMail:
		a.ss.get(k).touchRcpt(ev)
	case KindLost:
		// Logged before the from= line that ends the transaction; an
		// accepted RCPT leaves no line, so this may be the first.
		s := a.ss.get(k)
		s.touch(ev)
		s.dropped = true
	case KindMessage:
		s := a.ss.find(k)
		if s != nil || ev.Count == 0 {
			s = a.ss.get(k)
			s.touch(ev)
			s.data = received(ev)
			a.ss.close(k)
		}
		a.queuedMessage(ev)
	case KindDelivery:
		a.delivery(ev)
	}
}

func (a *assembler) opensmtpd(ev *Event) {
	k := sessKey{format: fidOpenSMTPD, host: ev.Host, id: ev.Session}
	switch ev.Kind {
	case KindConnect:
		a.ss.start(k).touch(ev)
	case KindRcpt, KindMail:
		a.ss.get(k).touchRcpt(ev)
	case KindData, KindMessage:
		s := a.ss.get(k)
		s.touch(ev)
		s.data = true
		if ev.Kind == KindMessage {
			use := *ev
			use.IP = s.ip
			a.camp.senderUse(&use)
			if ev.Sender == "" {
				a.camp.bounceTo(&use)
			}
			a.delivered(s.ip, s.name, s.helo, ev.Sender, ev.Time)
		}
	case KindDisconnect:
		if s := a.ss.find(k); s != nil {
			s.touch(ev)
			// smtp disconnected reason=quit|disconnect|timeout
			s.quitKnown = ev.Reply == "quit"
			s.dropped = ev.Reply == "disconnect" || ev.Reply == "timeout"
			a.ss.close(k)
		}
	}
}

// cloneKey copies a session key out of its chunk, for maps that outlive it.
func cloneKey(k sessKey) sessKey {
	return sessKey{format: k.format, host: strings.Clone(k.host), id: strings.Clone(k.id), sub: strings.Clone(k.sub)}
}
