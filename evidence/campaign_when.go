package evidence

import (
	"sort"
	"time"
)

// verifyLag is how long after a probe the receiver that made it may log
// the spam it was verifying: it holds the spam's RCPT while it calls
// back, and logs the rejection when the answer is in. Postfix smtpd polls
// the verify service every address_verify_poll_delay (3 s) up to
// address_verify_poll_count (3) times (postconf(5)); Exim logs as soon as
// its callout returns. A forged use logged within verifyLag after a probe
// still explains it; the link's delay is then measured from the spam's
// session (see forgedUseFor), and is negative, down to -verifyLag, only
// when the log does not say when that session began.
const verifyLag = 10 * time.Second

// forgedUseFor returns when addr was forged for the probe made at t: the
// use whose session had begun by t and that was logged within verifyLag
// after t (the spam the probe was verifying, dated from its session),
// else the nearest use of the window before t, else a use logged within
// verifyLag after t whose session start is unknown. The uses are sorted
// by logged time (addrUses.final).
func (c *campaign) forgedUseFor(addr string, t time.Time, window time.Duration) (time.Time, bool) {
	u := c.forged[addr]
	if u == nil {
		return time.Time{}, false
	}
	k := &c.clock
	tn := unixNano(t)
	i := sort.Search(len(u.times), func(i int) bool { return u.times[i].at > tn })
	var late time.Time // logged after the probe, session start unknown
	for j := i; j < len(u.times) && k.logged(u.times[j]).Sub(t) <= verifyLag; j++ {
		b := k.begun(u.times[j])
		switch {
		case !b.IsZero() && !b.After(t):
			return b, true // in progress when the probe was made
		case b.IsZero() && late.IsZero():
			late = k.logged(u.times[j])
		}
	}
	var early time.Time
	if i > 0 && t.Sub(k.logged(u.times[i-1])) <= window {
		early = k.logged(u.times[i-1])
	}
	switch {
	case !early.IsZero() && (late.IsZero() || t.Sub(early) <= late.Sub(t)):
		return early, true
	case !late.IsZero():
		return late, true
	}
	return time.Time{}, false
}
