package evidence

// boringFilter drops, on the worker, the Postfix smtpd sessions that lie
// whole inside one chunk and can never be probes: the client sent DATA
// (disconnect statistics data>0), or every sender it used is an ordinary
// one — not null, not an own address, not a verification or postmaster
// sender — with no Exim random recipient and no smf-sav HELO. They are the
// bulk of a busy MX's log, and the assembler would only open and close
// them. Their "client=" lines stay (as queue-only events, Session "") for
// the sender/client join of the campaign. The dropped sessions are still
// counted in Stats.Sessions, their events in Stats.Events and their time
// in the span, so the report is the same as without the filter.
type boringFilter struct {
	own       domainSet
	open      map[int]*pidState // by smtpd pid
	pool      []*pidState
	ordinaryQ map[string]bool // queue ids of ordinary messages in this chunk (parseChunk adds them)
	pending   []int           // queue lines to decide once the chunk's ordinary messages are known
}

type pidState struct {
	host        string
	connect     int  // index of the connect event in the batch
	interesting bool // something in it could make a probe or a forged sender
	client      bool // a recipient was accepted: the statistics decide
	members     []int
}

func newBoringFilter(own domainSet) *boringFilter {
	return &boringFilter{own: own, open: map[int]*pidState{}, ordinaryQ: map[string]bool{}}
}

// observe marks the events of boring whole sessions KindNone (the
// assembler skips them; moving the rest would cost more than skipping).
// It follows the event at index i of b; parseChunk calls it as it
// appends each event it keeps, while the event is still in cache, rather
// than in a second pass over the batch. Indexes stay valid: parseChunk
// only ever removes the event it has just appended, before observing it.
func (f *boringFilter) observe(b *batch, i int) {
	ev := &b.events[i]
	if ev.Format != FormatPostfix || ev.Session == "" {
		return
	}
	ref := atoi(ev.Session)
	if ref < 0 {
		return
	}
	st := f.open[ref]
	if st != nil && st.host != ev.Host {
		st.interesting = true // two hosts with the same pid in one chunk: leave it to the assembler
	}
	switch ev.Kind {
	case KindConnect:
		if st != nil {
			st.interesting = true // pid reused: keep what we have
		}
		st = f.get()
		st.connect, st.host = i, ev.Host
		f.open[ref] = st
		return
	case KindDisconnect:
		if st == nil {
			return
		}
		delete(f.open, ref)
		// Statistics are read only when a recipient was accepted: without
		// one the session is dropped whatever they say.
		if st.interesting || (st.client && !f.dataSent(ev)) {
			f.put(st)
			return
		}
		f.dropSession(b, st, i)
		f.put(st)
		return
	}
	if st == nil {
		return
	}
	st.members = append(st.members, i)
	if ev.Kind == KindClient {
		st.client = true
	}
	if !f.ordinary(ev) {
		st.interesting = true
	}
}

// dataSent tells whether a disconnect's statistics count a DATA (or
// BDAT) command.
func (f *boringFilter) dataSent(ev *Event) bool {
	if ev.Stats != nil {
		return ev.Stats.Data > 0
	}
	st, ok := parseSMTPStatsValue(ev.lazy)
	return ok && st.Data > 0
}

// finish ends a chunk: sessions still open are left to the assembler, and
// the queue lines of ordinary messages are dropped.
func (f *boringFilter) finish(b *batch) {
	for pid, st := range f.open {
		f.put(st)
		delete(f.open, pid)
	}
	f.ordinaryMessages(b)
}

// queueLine handles the Postfix queue line at index i of b as parseChunk
// appends it: the message, delivery or removal of a message already known
// to be ordinary is dropped at once (true); other queue lines wait for
// ordinaryMessages, which knows every ordinary message of the chunk.
func (f *boringFilter) queueLine(b *batch, i int) (dropped bool) {
	ev := &b.events[i]
	if ev.Format != FormatPostfix || ev.QueueID == "" {
		return false
	}
	switch ev.Kind {
	case KindClient:
	case KindMessage, KindDelivery, KindRemoved:
		if f.ordinaryQ[ev.QueueID] {
			b.noteDropped(ev)
			ev.Kind = KindNone
			return true
		}
	default:
		return false
	}
	f.pending = append(f.pending, i)
	return false
}

// ordinaryMessages drops the queue lines (client=, qmgr from=, deliveries,
// removed) of messages whose sender is neither null nor own: nothing in
// the campaign needs them. Their client= line stays for the session's
// accounting when the session itself is kept, without its queue id.
// parseChunk added the ordinary messages to f.ordinaryQ, dropping them and
// the queue lines that followed them (queueLine); what is left are the
// pending lines, client= above all, which come before their message.
func (f *boringFilter) ordinaryMessages(b *batch) {
	if len(f.ordinaryQ) > 0 {
		for _, i := range f.pending {
			ev := &b.events[i]
			if ev.Kind == KindNone || !f.ordinaryQ[ev.QueueID] {
				continue
			}
			if ev.Kind == KindClient && ev.Session != "" {
				ev.QueueID = ""
				continue
			}
			b.noteDropped(ev)
			ev.Kind = KindNone
		}
		clear(f.ordinaryQ)
	}
	f.pending = f.pending[:0]
}

// ordinary tells whether an event inside a session rules out a probe.
func (f *boringFilter) ordinary(ev *Event) bool {
	switch ev.Kind {
	case KindClient:
		// Not by itself: a session with an accepted recipient (its
		// sender unlogged: a suspect, or ruleGreylistedCallout's second
		// session) is kept at its disconnect unless the statistics say
		// data>0 (observe, pidState.client).
		return true
	case KindData:
		return true
	case KindRcpt, KindMail:
		// The rules' own predicates (rules.go): a session is boring only
		// when no rule could look at it.
		if !ev.HasSender || f.own.hasAddr(ev.Sender) {
			return false
		}
		return !mayBeCalloutSender(ev.Sender) && !isSmfSavHelo(ev.Helo) && !isEximRandom(ev.Recipient)
	}
	return false
}

// dropSession marks the connect, the disconnect and the members for
// removal (Kind = KindNone); client= lines become queue-only events.
func (f *boringFilter) dropSession(b *batch, st *pidState, disconnect int) {
	evs := b.events
	b.noteDropped(&evs[st.connect])
	evs[st.connect].Kind = KindNone
	for _, i := range st.members {
		if evs[i].Kind == KindClient {
			evs[i].Session = ""
			continue
		}
		b.noteDropped(&evs[i])
		evs[i].Kind = KindNone
	}
	b.noteDropped(&evs[disconnect])
	evs[disconnect].Kind = KindNone
	b.droppedSessions++
}

func (f *boringFilter) get() *pidState {
	if n := len(f.pool); n > 0 {
		st := f.pool[n-1]
		f.pool = f.pool[:n-1]
		return st
	}
	return &pidState{}
}

func (f *boringFilter) put(st *pidState) {
	st.interesting, st.client, st.members = false, false, st.members[:0]
	f.pool = append(f.pool, st)
}
