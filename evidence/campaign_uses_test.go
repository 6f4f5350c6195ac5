package evidence

import (
	"testing"
	"time"
)

// TestUseClockRoundTrip: a use gives back the very time.Time it got (same
// instant, same *Location, so == holds and it prints alike), the zero
// time included, and integer order is time order.
func TestUseClockRoundTrip(t *testing.T) {
	var k useClock
	plus2 := time.FixedZone("", 2*3600)
	times := []time.Time{
		{},
		time.Date(2026, 11, 27, 6, 28, 30, 0, time.UTC),
		time.Date(2026, 11, 27, 6, 28, 30, 500, time.Local),
		time.Date(2017, 12, 31, 23, 59, 60, 0, plus2),
		time.Date(1999, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)),
	}
	for _, at := range times {
		for _, began := range times {
			u := k.use(at, began)
			if got := k.logged(u); got != at {
				t.Errorf("logged %v (%v), want %v (%v)", got, got.Location(), at, at.Location())
			}
			if got := k.begun(u); got != began {
				t.Errorf("began %v, want %v", got, began)
			}
			if (u.at < u.began) != at.Before(began) {
				t.Errorf("%v < %v: integers disagree", at, began)
			}
		}
	}
}
