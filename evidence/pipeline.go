package evidence

import (
	"context"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"strings"
	"sync"
	"unsafe"
)

// batch is what a worker makes of one chunk.
type batch struct {
	events    []Event
	lines     int
	ignored   int
	unknown   int
	malformed int
	unneeded  int            // events parsed but dropped on the worker: still counted as events
	unused    map[string]int // recognised lines no rule reads, by kind
	// months are the RFC 3164 stamps of the lines where the month
	// changes (and the chunk's first): the year guess must see them all,
	// whichever lines the prefilter drops.
	months []stampAt
	bad    []Line
	buf    []byte // the chunk's buffer, recycled once the batch is consumed

	droppedSessions int      // boring sessions dropped whole (boringFilter)
	hasDropped      bool     // first/lastDropped are set
	firstDropped    rawStamp // stamps of the earliest and latest dropped lines, for the span
	lastDropped     rawStamp
	minDropped      rawStamp // the earliest and latest dropped stamps by their own time (within a year)
	maxDropped      rawStamp
	minOrder        int64 // their order()
	maxOrder        int64
	firstLine       int
	lastLine        int
}

// stampAt is a line's stamp.
type stampAt struct {
	line int
	st   rawStamp
}

// noteDropped counts an event dropped on the worker and keeps the stamps
// of the first and last such lines (by line number) for the time span.
func (b *batch) noteDropped(ev *Event) {
	if !b.hasDropped || ev.Line < b.firstLine {
		b.firstDropped, b.firstLine = ev.stamp, ev.Line
	}
	if !b.hasDropped || ev.Line > b.lastLine {
		b.lastDropped, b.lastLine = ev.stamp, ev.Line
	}
	// By time too: with several logging hosts (one clock ahead) the
	// earliest line need not be the first one.
	if k := ev.stamp.order(); !b.hasDropped {
		b.minDropped, b.maxDropped, b.minOrder, b.maxOrder = ev.stamp, ev.stamp, k, k
	} else if k < b.minOrder {
		b.minDropped, b.minOrder = ev.stamp, k
	} else if k > b.maxOrder {
		b.maxDropped, b.maxOrder = ev.stamp, k
	}
	b.hasDropped = true
	b.unneeded++
}

// parseChunk parses every line of ch, then detaches the events it keeps
// from the read buffer (detach).
func parseChunk(mode Format, file string, ch chunk, maxLine, maxBad int, own domainSet, dst []Event) batch {
	b := parseChunkOwn(mode, file, ch, maxLine, maxBad, own, nil, dst)
	b.detach()
	return b
}

// parseChunkOwn is parseChunk with the own-domain matcher made once per
// input rather than once per chunk. A non-nil boring filter observes each
// kept event as it is appended; the caller then calls its finish.
func parseChunkOwn(mode Format, file string, ch chunk, maxLine, maxBad int, own domainSet, boring *boringFilter, dst []Event) batch {
	b := batch{events: dst[:0], buf: ch.buf}
	if ch.overlong {
		b.lines, b.malformed = 1, 1
		b.bad = []Line{{File: file, Line: 1, Raw: string(ch.data), Reason: fmt.Sprintf("line longer than %d bytes", maxLine)}}
		return b
	}
	// The lines are read where they lie in the read buffer (see
	// bufferString); detach copies out the few that leave the worker.
	data, n := bufferString(ch.data), 1 // numbered within the chunk: see chunk
	// Each line's event is built in the free slot past the batch's end,
	// zeroed in place: parsing into a scratch event copied every event
	// once more into the batch (see emit), and copying a template in
	// took twice the instructions of zeroing.
	var memo headerMemo // points into this chunk: never kept past it
	pm := modeOf(mode)
	for len(data) > 0 {
		i := strings.IndexByte(data, '\n')
		var raw string
		if i < 0 {
			raw, data = data, ""
		} else {
			raw, data = data[:i], data[i+1:]
		}
		b.lines++
		lineNo := n
		n++
		if len(raw) > 0 && raw[len(raw)-1] == '\r' {
			raw = raw[:len(raw)-1]
		}
		if len(raw) == 0 {
			b.ignored++
			continue
		}
		if len(raw) > maxLine {
			b.note(lineMalformed, file, lineNo, raw[:512], fmt.Sprintf("line longer than %d bytes", maxLine), maxBad)
			continue
		}
		line := raw
		n0 := len(b.events)
		if n0 == cap(b.events) {
			b.events = append(b.events, Event{})[:n0]
		}
		ev := &b.events[:n0+1][n0]
		*ev = Event{}
		ev.File, ev.Count, ev.Line, ev.Raw = file, -1, lineNo, line
		var st lineStatus
		b.events, st = parseInto(pm, line, ev, b.events, &memo)
		for i := n0; i < len(b.events); i++ {
			// Read what a RCPT's reply says here, on the worker, in
			// parallel: the rules only look at the result.
			if e := &b.events[i]; e.Recipient != "" {
				e.answer = classifyAnswer(e.Rejected, e.Reply)
			}
		}
		if ev.stamp.style == stampRFC3164 && (len(b.months) == 0 || b.months[len(b.months)-1].st.month != ev.stamp.month) {
			b.months = append(b.months, stampAt{lineNo, ev.stamp})
		}
		drop := st == lineEvent && len(b.events) == n0+1 && !needed(&b.events[n0], own)
		if drop && b.events[n0].Kind == KindMessage {
			if boring != nil {
				// The filter drops its queue id's other lines in this chunk.
				boring.ordinaryQ[b.events[n0].QueueID] = true
			} else {
				drop = false // kept (no filter)
			}
		}
		if drop {
			b.noteDropped(&b.events[n0])
			b.events = b.events[:n0]
			continue
		}
		if boring != nil {
			for i := n0; i < len(b.events); i++ {
				if !boring.queueLine(&b, i) {
					boring.observe(&b, i)
				}
			}
			// An event dropped as it came (a queue line of a known ordinary
			// message, the disconnect that closed a boring session) needs
			// no slot: nothing holds its index.
			if k := len(b.events) - 1; k >= n0 && b.events[k].Kind == KindNone {
				b.events = b.events[:k]
			}
		}
		if st == lineUnused {
			if b.unused == nil {
				b.unused = map[string]int{}
			}
			b.unused[ev.Reply]++
			st = lineIgnored
		}
		if st != lineEvent {
			b.note(st, file, lineNo, line, "", maxBad)
		}
	}
	return b
}

// needed drops, on the worker, the events the assembler could only throw
// away: on a busy MX most lines are Postfix queue-manager and delivery
// lines of ordinary mail. A message's sender matters only when it is null
// (a bounce) or in an own domain (forged or used); a delivery only when it
// goes to an own address (backscatter) or to a remote relay (own mail). Exim, Sendmail and OpenSMTPD
// message lines also close sessions, so they are always kept.
func needed(ev *Event, own domainSet) bool {
	if ev.Format != FormatPostfix {
		return true
	}
	switch ev.Kind {
	case KindMessage:
		return mayBeCalloutSender(ev.Sender) || own.hasAddr(ev.Sender)
	case KindDelivery:
		// A remote delivery names the relay it was connected to: our
		// own mail's delivery explains the relay's callout of its
		// sender (ruleOwnMailRelayed). An ordinary message's are
		// dropped with its queue id (boringFilter).
		return own.hasAddr(ev.Recipient) || ev.IP != ""
	}
	return true
}

// note counts a line that made no event and keeps the first bad ones.
func (b *batch) note(st lineStatus, file string, n int, raw, reason string, maxBad int) {
	switch st {
	case lineIgnored:
		b.ignored++
		return
	case lineUnknown:
		b.unknown++
		if reason == "" {
			reason = "unknown program or line shape"
		}
	case lineMalformed:
		b.malformed++
		if reason == "" {
			reason = "malformed"
		}
	}
	if len(b.bad) < maxBad {
		b.bad = append(b.bad, Line{File: file, Line: n, Raw: strings.Clone(textsafe.Clip(raw, 512)), Reason: reason})
	}
}

// runPipeline reads chunks on one goroutine, parses them on `workers`
// goroutines and hands the batches to sink in file order, so year
// inference and session assembly see lines as they were written.
func runPipeline(ctx context.Context, cr *chunkReader, mode Format, file string, o *ScanOptions, sink func(*batch)) error {
	type job struct {
		ch  chunk
		out chan batch
	}
	workers := max(o.Workers, 1)
	cr.pool = make(chan []byte, 2*workers+8)
	// Shallow queues: each batch in flight holds a chunk and its events,
	// and memory stays bounded by how many are in flight, not by the input.
	jobs := make(chan job, workers)
	order := make(chan chan batch, workers+2)
	free := make(chan []Event, workers+4)
	var readErr error
	go func() {
		defer close(jobs)
		defer close(order)
		for ctx.Err() == nil {
			ch, ok, err := cr.next()
			if err != nil {
				readErr = err
				return
			}
			if !ok {
				return
			}
			out := make(chan batch, 1)
			jobs <- job{ch, out}
			order <- out
		}
	}()
	own := newDomainSet(o.Domains)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			boring := newBoringFilter(own)
			for j := range jobs {
				var buf []Event
				select {
				case buf = <-free:
				default:
				}
				var f *boringFilter
				if !o.noPrefilter {
					f = boring
				}
				b := parseChunkOwn(mode, file, j.ch, o.MaxLineBytes, o.MaxBadLines, own, f, buf)
				if f != nil {
					f.finish(&b)
				}
				b.detach()
				j.out <- b
			}
		}()
	}
	for out := range order {
		b := <-out
		if ctx.Err() == nil {
			sink(&b)
		}
		// Not cleared: the next parseChunk overwrites every event it
		// appends, and what the stale tail still points at is bounded by
		// the few slices in free (one chunk buffer each, already in the
		// pool). Clearing cost a 300-byte memclr per event, on the
		// assembler's goroutine.
		select {
		case free <- b.events:
		default:
		}
		cr.recycle(b.buf)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return readErr
}

// bufferString reads a read buffer as a string without copying it. The
// string is valid only while the buffer is not read into again: parsing
// on the worker uses it, and detach copies out, before the batch leaves
// the worker, every line and field that goes on. Most lines of a busy
// log are dropped on the worker; copying each of them cost a third more
// CPU on the 600 MB benchmark, most of it in the collector that the
// copies kept busy (BENCHMARKS.md).
func bufferString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// detach copies the lines of the batch's kept events into one new string
// and points every string field of each event (all parts of its line, or
// constants) at the copy. After it nothing in the batch points into the
// read buffer: a map key, a session field or a kept evidence line taken
// from an event stays as it was when the buffer is read into again
// (TestDetachSurvivesBufferReuse).
func (b *batch) detach() {
	n := 0
	for i := range b.events {
		if b.events[i].Kind != KindNone {
			n += len(b.events[i].Raw)
		}
	}
	var sb strings.Builder
	sb.Grow(n)
	for i := range b.events {
		if b.events[i].Kind != KindNone {
			sb.WriteString(b.events[i].Raw)
		}
	}
	arena, off := sb.String(), 0
	for i := range b.events {
		ev := &b.events[i]
		if ev.Kind == KindNone {
			continue
		}
		raw, cp := ev.Raw, arena[off:off+len(ev.Raw)]
		off += len(raw)
		for _, f := range []*string{&ev.Host, &ev.Session, &ev.Sub, &ev.QueueID, &ev.IP, &ev.Name, &ev.Helo,
			&ev.Sender, &ev.Recipient, &ev.Reply, &ev.lazy} {
			*f = rebase(*f, raw, cp)
			if inBuffer(*f, b.buf) {
				// Part of another line (headerMemo reuses the host of the
				// line before): a copy of its own.
				*f = strings.Clone(*f)
			}
		}
		ev.Raw = cp
	}
}

// inBuffer tells whether s lies in buf.
func inBuffer(s string, buf []byte) bool {
	if s == "" || len(buf) == 0 {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	b := uintptr(unsafe.Pointer(&buf[0]))
	return p >= b && p < b+uintptr(cap(buf))
}

// rebase returns the part of cp that f is of raw (cp is a copy of raw),
// or f itself when it is not part of raw (a constant, a joined string).
func rebase(f, raw, cp string) string {
	if g, ok := within(f, raw, cp); ok {
		return g
	}
	return f
}

// within returns the part of cp that f is of raw, if f is part of raw.
func within(f, raw, cp string) (string, bool) {
	if f == "" {
		return "", true
	}
	if raw == "" {
		return f, false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(f)))
	r := uintptr(unsafe.Pointer(unsafe.StringData(raw)))
	if p < r || p+uintptr(len(f)) > r+uintptr(len(raw)) {
		return f, false
	}
	i := int(p - r)
	return cp[i : i+len(f)], true
}
