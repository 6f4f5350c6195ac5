package investigate

import (
	"fmt"
	"sort"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
)

// fromOutbound starts the explanation name, which rests on the outbound
// side of the logs; ok is false, and the verdict unknown with the reason,
// when those logs cannot tell whether question ("this MX sent
// backscatter") is so.
func fromOutbound(ev Evidence, name, question string) (e Explanation, ok bool) {
	e = Explanation{Name: name, Facts: []Fact{}}
	if ok, why := outboundRead(ev); !ok {
		e.Verdict, e.Summary = Unknown, "Whether "+question+" is unknown: "+why+"."
		return e, false
	}
	return e, true
}

// concluded gives e the verdict of the judged listings g and a summary
// that leads with lead; advice, what the operator should do, is added only
// when the cause is supported.
func concluded(e Explanation, g gate, lead, advice string) Explanation {
	if g.verdict == Supported {
		lead += " " + advice
	}
	e.Verdict, e.Summary = g.verdict, summaryOf(lead, g)
	return e
}

// ownCallouts: our MX verified other domains' addresses (Postfix
// reject_unverified_sender, Exim verify = sender/callout). To the probed
// side that is the traffic a list calls a dictionary attack.
func ownCallouts(ev Evidence) Explanation {
	e, ok := fromOutbound(ev, ExplainOwnCallouts, "this MX probed other hosts with callouts")
	if !ok {
		return e
	}
	o := ev.Outbound
	c := o.Callouts
	if c.Count == 0 {
		e.Verdict = NotSupported
		e.Summary = fmt.Sprintf("The logs record %s by this MX and no address-verification probe of another host "+
			"(Postfix status=deliverable/undeliverable, Exim \"sender verify fail\" with a host). "+
			"Exim logs only the callouts that fail or defer, so an Exim MX whose callouts all succeeded would look the same.",
			plural(o.Deliveries.Count+o.Local.Count, "delivery", "deliveries"))
		if o.InternalCallouts > 0 {
			e.Summary += fmt.Sprintf(" Its %s went to the own networks (recipient verification at the own MX), not to others.",
				plural(o.InternalCallouts, "verification probe", "verification probes"))
		}
		return e
	}
	e.Facts = append(e.Facts, tallyFact(fmt.Sprintf("This MX sent %s (address verifications) to %s; %d answered that the address does not exist, %d deferred. Per day: %s.",
		plural(c.Count, "callout", "callouts"), plural(len(c.Hosts), "host", "hosts"), c.Rejected, c.Deferred, daysText(c.Days)), c))
	g := judgeListings(ev, c.Between, ownCalloutMin, classSet(classExploited, classPolicy, classRelay, classSpam, classBackscatter), "this MX's own callouts")
	lead := fmt.Sprintf("This MX itself verified addresses at other hosts with callouts (%s, %d refused), from %s to %s.",
		plural(c.Count, "probe", "probes"), c.Rejected, stamp(*c.First), stamp(*c.Last))
	return concluded(e, g, lead, "To the hosts it probed, that is a stream of questions about addresses that often do not exist: what a list calls a dictionary attack. Turn sender verification off (Postfix reject_unverified_sender, Exim verify = sender/callout).")
}

// ownBackscatter: our MX accepted mail it could not deliver and bounced
// it; with forged senders the bounces go to people who never wrote.
func ownBackscatter(ev Evidence) Explanation {
	e, ok := fromOutbound(ev, ExplainOwnBackscatter, "this MX sent backscatter")
	if !ok {
		return e
	}
	o := ev.Outbound
	b := o.Bounces
	if o.Local.Rejected > 0 {
		f := tallyFact(fmt.Sprintf("%s to local mailboxes failed after the mail was accepted (e.g. unknown users): each such failure makes a bounce.",
			plural(o.Local.Rejected, "delivery", "deliveries")), o.Local)
		f.Time, f.Lines = o.Local.FirstRejected, o.Local.RejectedSamples
		e.Facts = append(e.Facts, f)
	}
	if b.Generated > 0 {
		e.Facts = append(e.Facts, Fact{Source: "logs", Text: fmt.Sprintf("This MX generated %s (null sender).", plural(b.Generated, "bounce", "bounces")), Lines: b.Samples})
	}
	if b.Remote.Count == 0 {
		e.Verdict = NotSupported
		e.Summary = fmt.Sprintf("This MX generated %s and sent none to another host: no backscatter in these logs.", plural(b.Generated, "bounce", "bounces"))
		return e
	}
	e.Facts = append(e.Facts, tallyFact(fmt.Sprintf("It sent %s to other hosts (%d refused there, %d deferred), to %s; per day: %s.",
		plural(b.Remote.Count, "bounce", "bounces"), b.Remote.Rejected, b.Remote.Deferred, plural(len(b.Recipients), "address", "addresses"), daysText(b.Remote.Days)), b.Remote))
	g := judgeListings(ev, b.Remote.Between, backscatterMin, classSet(classExploited, classPolicy, classRelay), "this MX's bounces to other hosts")
	lead := fmt.Sprintf("This MX accepted mail it then could not deliver and bounced it to the senders: %s to other hosts from %s to %s, %d of them refused there.",
		plural(b.Remote.Count, "bounce", "bounces"), stamp(*b.Remote.First), stamp(*b.Remote.Last), b.Remote.Rejected)
	return concluded(e, g, lead, "With forged senders, those bounces are backscatter: mail to people who never wrote, which traps and lists count against this MX. Reject unknown recipients during the SMTP dialogue instead of bouncing later.")
}

// burst is one sender whose day of remote deliveries jumped.
type burst struct {
	s     outbound.Sender
	day   outbound.Day
	usual int // the sender's median day, or the other senders' median that day
}

// outboundSpam: an authenticated or local sender of ours whose volume
// jumped (a stolen password, a hacked form).
func outboundSpam(ev Evidence) Explanation {
	e, ok := fromOutbound(ev, ExplainOutboundSpam, "an account of this MX sent spam")
	if !ok {
		return e
	}
	o := ev.Outbound
	if len(o.Senders) == 0 {
		e.Verdict, e.Summary = NotSupported, "This MX sent no mail to other hosts on anyone's behalf in these logs."
		return e
	}
	bs := bursts(o.Senders)
	if len(bs) == 0 {
		top := o.Senders[0]
		e.Verdict = NotSupported
		e.Summary = fmt.Sprintf("%s sent mail to other hosts; none jumped (the busiest, %s, had %s to other hosts, %d refused).",
			plural(len(o.Senders), "sender", "senders"), senderName(top), plural(top.Remote.Count, "delivery", "deliveries"), top.Remote.Rejected)
		return e
	}
	for _, b := range bs {
		e.Facts = append(e.Facts, tallyFact(fmt.Sprintf("%s sent %s to other hosts on %s (usual day: %d); in all %s, %s, %d refused, %d deferred.",
			senderName(b.s), plural(b.day.Count, "delivery", "deliveries"), b.day.Day, b.usual, plural(b.s.Messages, "message", "messages"),
			plural(b.s.Recipients, "recipient", "recipients"), b.s.Remote.Rejected, b.s.Remote.Deferred), b.s.Remote))
	}
	count := func(from, to time.Time) int {
		n := 0
		for _, b := range bs {
			n += b.s.Remote.Between(from, to)
		}
		return n
	}
	g := judgeListings(ev, count, burstMin, classSet(classPolicy), "the deliveries of the sender whose volume jumped")
	lead := fmt.Sprintf("%s of this MX sent far more than usual: %s.", pick(len(bs), "A sender", "Senders"), burstList(bs))
	return concluded(e, g, lead, "Check those accounts for a stolen password or an abused form, and stop them before asking for delisting.")
}

func senderName(s outbound.Sender) string {
	switch {
	case s.Auth:
		return "the authenticated user " + s.Sender
	case s.Local:
		return "the local sender " + s.Sender
	case s.Sender == "":
		return "the null sender"
	}
	return "the sender " + s.Sender
}

func burstList(bs []burst) string {
	s := ""
	for i, b := range bs {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("%s, %d on %s against a usual %d", senderName(b.s), b.day.Count, b.day.Day, b.usual)
	}
	return s
}

// bursts finds the senders whose busiest day of remote deliveries is at
// least burstMin and burstFactor times their usual day (the median of
// their other days) or, for a sender seen on one day only, burstFactor
// times the median of the other senders that day; a lone sender with
// no one to compare counts when a quarter of its deliveries were refused.
func bursts(senders []outbound.Sender) []burst {
	var out []burst
	for _, s := range senders {
		peak, others := peakDay(s.Remote.Days)
		if peak.Count < burstMin {
			continue
		}
		usual, ok := median(others), len(others) > 0
		if !ok {
			usual, ok = othersThatDay(senders, s, peak.Day)
		}
		switch {
		case ok && peak.Count >= burstFactor*max(usual, 1):
		case !ok && s.Remote.Rejected*4 >= s.Remote.Count:
		default:
			continue
		}
		out = append(out, burst{s: s, day: peak, usual: usual})
	}
	return out
}

func peakDay(ds []outbound.Day) (outbound.Day, []int) {
	var peak outbound.Day
	var others []int
	for _, d := range ds {
		if d.Count > peak.Count {
			if peak.Day != "" {
				others = append(others, peak.Count)
			}
			peak = d
		} else {
			others = append(others, d.Count)
		}
	}
	return peak, others
}

func othersThatDay(senders []outbound.Sender, self outbound.Sender, day string) (int, bool) {
	var counts []int
	for _, s := range senders {
		if s.Sender == self.Sender && s.Auth == self.Auth {
			continue
		}
		for _, d := range s.Remote.Days {
			if d.Day == day {
				counts = append(counts, d.Count)
			}
		}
	}
	return median(counts), len(counts) > 0
}

func median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int(nil), xs...)
	sort.Ints(s)
	return s[len(s)/2]
}

// openRelay: mail from clients outside the own networks that did not
// authenticate, delivered to other hosts. Forwarded mail (a local
// recipient rewritten to an outside one) is not counted.
func openRelay(ev Evidence) Explanation {
	e, ok := fromOutbound(ev, ExplainOpenRelay, "this MX relayed mail for outsiders")
	if !ok {
		return e
	}
	o := ev.Outbound
	switch {
	case !o.RelayChecked:
		e.Verdict, e.Summary = Unknown, "Whether this MX relayed mail for outsiders is unknown: the own networks are not configured (own_networks), so its users' mail cannot be told from relayed mail."
		return e
	case o.Relayed.Count == 0:
		e.Verdict = NotSupported
		e.Summary = fmt.Sprintf("Of the %s to other hosts, none carried mail from an unauthenticated client outside the own networks: no relaying in these logs.",
			plural(o.Deliveries.Count, "delivery", "deliveries"))
		return e
	}
	r := o.Relayed
	e.Facts = append(e.Facts, tallyFact(fmt.Sprintf("%s to other hosts carried mail that came from outside the own networks without authentication (%d refused there); per day: %s.",
		plural(r.Count, "delivery", "deliveries"), r.Rejected, daysText(r.Days)), r))
	g := judgeListings(ev, r.Between, 1, classSet(classPolicy, classCallout, classBackscatter), "the relayed deliveries")
	lead := fmt.Sprintf("This MX relayed mail from outside clients that did not authenticate to other hosts: %s from %s to %s.",
		plural(r.Count, "delivery", "deliveries"), stamp(*r.First), stamp(*r.Last))
	return concluded(e, g, lead, "That is an open relay (or a backup MX relaying for domains it should not): close it (Postfix smtpd_relay_restrictions, Exim relay_from_hosts) before asking for delisting.")
}
