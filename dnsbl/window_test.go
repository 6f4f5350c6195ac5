package dnsbl

import (
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	w := newWindow(64)
	now := time.Unix(1000, 0)
	w.now = func() time.Time { return now }
	take := func(n int) {
		for range n {
			select {
			case <-w.tokens:
			default:
				t.Fatalf("no token (window %d)", w.size())
			}
		}
	}
	take(64)
	// A burst of 64 losses (a socket buffer overflowing) halves the
	// window once.
	for range 64 {
		w.release(true)
	}
	if w.size() != 32 || len(w.tokens) != 32 {
		t.Fatalf("after a burst of losses: window %d, %d tokens; want 32, 32", w.size(), len(w.tokens))
	}
	// Later losses, while the loss rate stays high, halve it again, down
	// to the floor at most.
	now = now.Add(cutInterval)
	take(32)
	for range 32 {
		w.release(true)
		now = now.Add(cutInterval)
	}
	if w.size() != minWindow || len(w.tokens) != minWindow {
		t.Fatalf("after repeated losses: window %d, %d tokens", w.size(), len(w.tokens))
	}
	// Answers grow it back (slow start to the threshold, then slower),
	// never past the maximum.
	for range 2500 {
		take(1)
		w.release(false)
	}
	if w.size() != 64 || len(w.tokens) != 64 {
		t.Fatalf("after answers: window %d, %d tokens; want 64", w.size(), len(w.tokens))
	}
}

// Random loss (1%, a resolver across the Internet) never halves the
// window: only a loss rate above lossCutRate does.
func TestWindowIgnoresRandomLoss(t *testing.T) {
	w := newWindow(100)
	now := time.Unix(1000, 0)
	w.now = func() time.Time { return now }
	for i := range 100000 {
		<-w.tokens
		w.release(i%100 == 0)
		now = now.Add(time.Millisecond)
	}
	if w.size() != 100 {
		t.Errorf("window %d after 1%% loss, want 100", w.size())
	}
}
