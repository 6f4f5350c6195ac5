package investigate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Lane names of the timeline that are not a prober's IP.
const (
	LaneListings = "listings"
	LaneForged   = "forged senders"
	LaneNotices  = "notices"
	LaneOwn      = "this MX sent"
)

// Timeline lists what happened in time order: listing starts, the first
// forged use of each own address, every probe, and the notices rendered.
func Timeline(c *Case) []Event {
	var ev []Event
	for _, ls := range c.Listings {
		ev = append(ev, listingEvent(c, ls))
	}
	for _, f := range c.Evidence.Campaign.ForgedSenders {
		ev = append(ev, Event{Time: f.FirstSeen, Kind: EventForged, Lane: LaneForged,
			Detail: fmt.Sprintf("%s first forged as sender (%s)", textsafe.Line(f.Address), plural(f.Count, "use", "uses"))})
	}
	for _, p := range c.Evidence.Probers {
		for _, pr := range p.Events {
			ev = append(ev, Event{Time: pr.Time, Kind: EventProbe, Lane: p.IP,
				Detail: fmt.Sprintf("%s callout for %s", pr.Kind, textsafe.Line(strings.Join(pr.Recipients, ", ")))})
		}
	}
	ev = append(ev, ownEvents(c)...)
	for _, n := range c.Notices {
		ev = append(ev, Event{Time: c.Created, Kind: EventNotice, Lane: LaneNotices,
			Detail: fmt.Sprintf("%s notice to %s rendered for review", n.Kind, textsafe.Line(strings.Join(n.To, ", ")))})
	}
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].Time.Before(ev[j].Time) })
	return ev
}

func listingEvent(c *Case, ls Listing) Event {
	e := Event{Time: c.Created, Kind: EventListing, Lane: LaneListings,
		Detail: fmt.Sprintf("listed by %s (%s); start unknown, seen at check time", textsafe.Line(ls.List), strings.Join(ls.Codes, ", "))}
	if ls.Since != nil {
		e.Time = *ls.Since
		e.Detail = fmt.Sprintf("listing by %s began (%s)", textsafe.Line(ls.List), strings.Join(ls.Codes, ", "))
		if ls.SinceSource == SinceBounce {
			e.Detail = fmt.Sprintf("a bounce's rejection names %s (in effect by then)", textsafe.Line(ls.List))
		}
	}
	return e
}

// ownEvents mark when the MX's own callouts, bounces to other hosts and
// bursting senders' deliveries began and ended (the outbound report keeps
// spans, not every time).
func ownEvents(c *Case) []Event {
	o := c.Outbound
	if o == nil {
		return nil
	}
	var ev []Event
	span := func(t outbound.Tally, what string) {
		if t.First == nil || t.Count == 0 {
			return
		}
		ev = append(ev, Event{Time: *t.First, Kind: EventOwn, Lane: LaneOwn, Detail: fmt.Sprintf("first %s (%d in all)", what, t.Count)})
		if t.Last != nil && t.Last.After(*t.First) {
			ev = append(ev, Event{Time: *t.Last, Kind: EventOwn, Lane: LaneOwn, Detail: "last " + what})
		}
	}
	span(o.Callouts, "callout to another host")
	span(o.Bounces.Remote, "bounce to another host")
	for _, b := range bursts(o.Senders) {
		span(b.s.Remote, "delivery by "+textsafe.Line(senderName(b.s)))
	}
	return ev
}
