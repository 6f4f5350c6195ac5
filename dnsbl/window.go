package dnsbl

import (
	"sync"
	"time"
)

// window bounds the transmissions in flight to one server and adapts to
// loss, as TCP's congestion control does (RFC 5681, in small): it halves
// when a transmission goes unanswered (at most once per cutInterval, so
// that one burst of losses counts once) and grows back with every answer,
// doubling per round trip below the threshold and by one per round trip
// above it. A server that cannot keep up, or a user who asks for more
// concurrency than its socket buffer holds, then costs time, not answers.
//
// Tokens circulate in a channel so that waiting for one can be combined
// with waiting for an answer; a window that shrinks withholds tokens as
// they come back.
type window struct {
	tokens chan struct{}
	mu     sync.Mutex
	limit  float64 // current window
	thresh float64 // slow-start threshold
	max    float64
	circ   int // tokens in circulation (in the channel or held)
	cut    time.Time
	now    func() time.Time
}

// Window bounds.
const (
	minWindow   = 2
	cutInterval = 100 * time.Millisecond
)

func newWindow(size int) *window {
	size = max(size, minWindow)
	w := &window{tokens: make(chan struct{}, size), limit: float64(size), thresh: float64(size), max: float64(size), circ: size, now: time.Now}
	for range size {
		w.tokens <- struct{}{}
	}
	return w
}

// release returns a token after a transmission: answered (lost false) or
// timed out (lost true).
func (w *window) release(lost bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if lost {
		if now := w.now(); now.Sub(w.cut) >= cutInterval {
			w.thresh = max(w.limit/2, minWindow)
			w.limit = w.thresh
			w.cut = now
		}
	} else if w.limit < w.thresh {
		w.limit = min(w.limit+1, w.max)
	} else {
		w.limit = min(w.limit+1/w.limit, w.max)
	}
	if w.circ > int(w.limit) {
		w.circ-- // withhold this one: the window shrank
		return
	}
	w.tokens <- struct{}{} // never blocks: circ <= cap(tokens)
	for w.circ < int(w.limit) {
		w.circ++
		w.tokens <- struct{}{}
	}
}

// size reports the current window (for tests).
func (w *window) size() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return int(w.limit)
}
