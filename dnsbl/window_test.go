package dnsbl

import (
	"testing"
	"time"
)

func TestWindow(t *testing.T) {
	w := newWindow(16)
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
	take(16)
	// A burst of 16 losses halves the window once.
	for range 16 {
		w.release(true)
	}
	if w.size() != 8 || len(w.tokens) != 8 {
		t.Fatalf("after a burst of losses: window %d, %d tokens; want 8, 8", w.size(), len(w.tokens))
	}
	// A later loss halves it again, down to the floor at most.
	now = now.Add(cutInterval)
	take(8)
	for range 8 {
		w.release(true)
		now = now.Add(cutInterval)
	}
	if w.size() != minWindow || len(w.tokens) != minWindow {
		t.Fatalf("after repeated losses: window %d, %d tokens", w.size(), len(w.tokens))
	}
	// Answers grow it back (slow start to the threshold, then slower),
	// never past the maximum.
	for range 200 {
		take(1)
		w.release(false)
	}
	if w.size() != 16 || len(w.tokens) != 16 {
		t.Fatalf("after answers: window %d, %d tokens; want 16", w.size(), len(w.tokens))
	}
}
