package evidence

import (
	"math"
	"time"
)

// forgedUse is when a use was logged and, when the log tells, the latest
// moment its SMTP session is known to have reached before the command
// that used the address (began; unknown: noTime). A receiver that
// verifies the sender logs the spam only after its callout came back, so
// the logged time may follow the probe it caused; began does not.
//
// The times are Unix nanoseconds with the index of their Location in the
// campaign's useClock: 24 bytes without a pointer, where two time.Time
// took 48 and made the collector scan every use (up to keepUses per
// address; 150,000 in all for the 600 MB benchmark log, whose report is
// the scan's largest live data). Integer order is time order, the zero
// time (noTime) first, as time.Time orders them.
type forgedUse struct {
	at, began       int64
	atLoc, beganLoc uint16
}

// noTime stands for the zero time.Time.
const noTime = math.MinInt64

// useClock converts times to and from forgedUse's form. A scan meets one
// Location or a few (the configured zone, fixed offsets of ISO stamps).
type useClock struct {
	locs []*time.Location
}

func (k *useClock) use(at, began time.Time) forgedUse {
	return forgedUse{at: unixNano(at), began: unixNano(began), atLoc: k.index(at), beganLoc: k.index(began)}
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.UnixNano()
}

func (k *useClock) index(t time.Time) uint16 {
	loc := t.Location()
	for i, l := range k.locs {
		if l == loc {
			return uint16(i)
		}
	}
	if len(k.locs) == math.MaxUint16 {
		return 0 // not met in practice; the instant stays exact
	}
	k.locs = append(k.locs, loc)
	return uint16(len(k.locs) - 1)
}

// time rebuilds the time.Time that use received: the same instant in the
// same *Location, so equal to it and printed alike.
func (k *useClock) time(n int64, loc uint16) time.Time {
	if n == noTime {
		return time.Time{}
	}
	return time.Unix(0, n).In(k.locs[loc])
}

func (k *useClock) logged(u forgedUse) time.Time { return k.time(u.at, u.atLoc) }
func (k *useClock) begun(u forgedUse) time.Time  { return k.time(u.began, u.beganLoc) }
