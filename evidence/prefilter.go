package evidence

import "strings"

// boringSessions drops, on the worker, the Postfix smtpd sessions that lie
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
	own  domainSet
	open map[int]*pidState // by smtpd pid
	pool []*pidState
}

type pidState struct {
	host        string
	connect     int  // index of the connect event in the batch
	interesting bool // something in it could make a probe or a forged sender
	client      bool // a recipient was accepted: the statistics decide
	members     []int
}

func newBoringFilter(own domainSet) *boringFilter {
	return &boringFilter{own: own, open: map[int]*pidState{}}
}

// filter removes boring whole sessions from b.events in place.
func (f *boringFilter) filter(b *batch) {
	evs := b.events
	drop := false
	for i := range evs {
		ev := &evs[i]
		if ev.Format != FormatPostfix || ev.Session == "" {
			continue
		}
		ref := atoi(ev.Session)
		if ref < 0 {
			continue
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
			continue
		case KindDisconnect:
			if st == nil {
				continue
			}
			delete(f.open, ref)
			dataSent := ev.Stats != nil && ev.Stats.Data > 0
			if st.interesting || (st.client && !dataSent) {
				f.put(st)
				continue
			}
			f.dropSession(b, st, i)
			drop = true
			f.put(st)
			continue
		}
		if st == nil {
			continue
		}
		st.members = append(st.members, i)
		if ev.Kind == KindClient {
			st.client = true
		}
		if !f.ordinary(ev) {
			st.interesting = true
		}
	}
	for ref, st := range f.open {
		delete(f.open, ref)
		f.put(st)
	}
	if drop {
		b.events = compact(evs)
	}
}

// ordinary tells whether an event inside a session rules out a probe.
func (f *boringFilter) ordinary(ev *Event) bool {
	switch ev.Kind {
	case KindClient:
		return true // accepted-no-data needs the disconnect statistics: data>0 decides
	case KindData:
		return true
	case KindRcpt, KindMail:
		if !ev.HasSender || ev.Sender == "" || f.own.hasAddr(ev.Sender) {
			return false
		}
		lp := strings.ToLower(localPart(ev.Sender))
		if strings.HasPrefix(lp, "double-bounce") || lp == "postmaster" {
			return false
		}
		if strings.EqualFold(ev.Helo, smfSavHelo) {
			return false
		}
		_, _, random := parseEximRandom(ev.Recipient)
		return !random
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

// compact removes events marked KindNone, keeping order.
func compact(evs []Event) []Event {
	out := evs[:0]
	for i := range evs {
		if evs[i].Kind != KindNone {
			out = append(out, evs[i])
		}
	}
	clear(evs[len(out):])
	return out
}
