package evidence

import (
	"strings"
	"time"
)

// A greylisted delivery attempt is written down more than once: spamd logs
// "(GREY) ip: <from> -> <to>" when the RCPT comes (and the greylister "new
// entry … helo h" for a new tuple), and every spamdb(8) dump taken while
// the tuple lives lists "GREY|ip|helo|from|to|first|…" again, with the same
// first time (the hourly dumps of the seed article). Counted line by line,
// one spam forging an address would count once per dump. So a forged use
// from a greylist is counted once per tuple and first time, across all the
// files of a scan: a dump entry already seen in an earlier dump is a
// repeat, and so is a dump entry whose first time is a spamd sighting of
// the same ip, from and to already counted (or the other way round).

// greySlack is how much later than spamd's log line the greylister may
// stamp a new tuple's first time: spamd hands the tuple over a pipe and
// grey.c takes time(NULL) when it reads it.
const greySlack = 2 * time.Second

// greySeen is one counted greylist sighting or dump entry of a tuple.
type greySeen struct {
	at   time.Time
	helo string
	dump bool
}

// greyUse is senderUse for a greylist tuple: spamd's (GREY) line or
// "new entry" (dump false), or a spamdb GREY entry (dump true).
func (c *campaign) greyUse(ev *Event, dump bool) {
	if c.forgedSender(ev) && c.greyRepeat(ev, dump) {
		return
	}
	c.senderUse(ev)
}

// forgedSender tells whether senderUse would record ev as a forged use.
func (c *campaign) forgedSender(ev *Event) bool {
	return c.ownSender(ev) && ev.IP != "" && !ev.Authenticated && !c.ownIP(ev.IP)
}

// greyRepeat tells whether ev repeats a greylist record already counted,
// and remembers it.
func (c *campaign) greyRepeat(ev *Event, dump bool) bool {
	key := strings.ToLower(ev.IP + "\x00" + ev.Sender + "\x00" + ev.Recipient)
	seen := c.grey[key]
	repeat, sameEntry := false, false
	for _, g := range seen {
		d := ev.Time.Sub(g.at)
		switch {
		case dump && g.dump:
			sameEntry = sameEntry || d == 0 && strings.EqualFold(g.helo, ev.Helo)
		case dump: // an earlier spamd sighting at the tuple's first time
			repeat = repeat || d >= 0 && d <= greySlack
		case g.dump: // a dump entry whose first time is this sighting
			repeat = repeat || d <= 0 && d >= -greySlack
		}
	}
	repeat = repeat || sameEntry
	// A dump entry is remembered (once) even when a sighting already
	// counted it, so that the next dumps find it; a repeated sighting is not.
	if (dump && !sameEntry) || (!dump && !repeat) {
		if seen == nil {
			key = strings.Clone(key)
		}
		c.grey[key] = append(seen, greySeen{at: ev.Time, helo: strings.Clone(ev.Helo), dump: dump})
	}
	return repeat
}
