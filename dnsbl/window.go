package dnsbl

import (
	"sync"
	"time"
)

// window bounds the transmissions in flight to one server and adapts to
// loss, as TCP's congestion control does (RFC 5681, in small): it halves
// when transmissions go unanswered at more than lossCutRate of the recent
// ones (at most once per cutInterval, so that one burst of losses counts
// once) and grows back with every answer,
// doubling per round trip below the threshold and by one per round trip
// above it. A server that cannot keep up, or a user who asks for more
// concurrency than its socket buffer holds, then costs time, not answers.
//
// Unlike TCP it does not halve on every loss: a resolver across the
// Internet loses a query now and then for reasons that have nothing to
// do with our rate, and halving on each of them (1% random loss, 20-80 ms
// away) made a 4096 x 10 check take 7.7 times the least the concurrency
// allows (BenchmarkLatencyResolver). An overflowing socket buffer loses
// queries in bursts, far above lossCutRate.
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
	// lossRate is the share of recent transmissions lost, an average
	// over about the last 1/lossWeight (64) of them.
	lossRate float64
}

// Window bounds.
const (
	minWindow   = 2
	cutInterval = 100 * time.Millisecond
	lossWeight  = 1.0 / 64
	lossCutRate = 0.25
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
	sample := 0.0
	if lost {
		sample = 1
	}
	w.lossRate += lossWeight * (sample - w.lossRate)
	if lost {
		if now := w.now(); now.Sub(w.cut) >= cutInterval && w.lossRate > lossCutRate {
			w.thresh = max(w.limit/2, minWindow)
			w.limit = w.thresh
			w.cut = now
		}
	} else if w.limit < w.thresh {
		w.limit = min(w.limit+1, w.max)
	} else {
		w.limit = min(w.limit+1/w.limit, w.max)
	}
	w.recirculate()
}

// giveBack returns a token without counting its transmission either way:
// a retransmission that went unanswered too. Congestion drops packets at
// random, so the retransmission of a query it dropped usually gets
// through; a query whose retransmissions are lost as well asks a name
// that is not being answered (a dead list behind a live resolver), and
// counting those losses halved the window that every list shares.
func (w *window) giveBack() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.recirculate()
}

// recirculate puts a returned token back, withholding it and idle ones
// while more are out than the window allows. Called with w.mu held.
func (w *window) recirculate() {
	for w.circ > int(w.limit) && len(w.tokens) > 0 {
		<-w.tokens // the window shrank: take back idle tokens now
		w.circ--
	}
	if w.circ > int(w.limit) {
		w.circ-- // and withhold this one
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
