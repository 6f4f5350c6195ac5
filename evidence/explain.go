package evidence

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// A bounce is delivered; a callout never is. A null-sender (or
// postmaster) session that asked for one address and left without DATA
// has the shape of a callout, and also of a bounce whose first try was
// greylisted or whose other recipient came in another session (Exim's
// "<=" line 45 s later, Postfix 2.x without disconnect statistics). What
// tells them apart is a message with DATA from the same sender and the
// same client family soon after: then the attempt was that bounce. So
// sessions convicted only by the null-sender or postmaster rule are held
// for explainWindow of their logging host's time before they are counted;
// a delivery in that window turns them into suspects (WhyDelivered).
//
// explainWindow covers the retries of a greylisted bounce: Postfix
// retries after minimal_backoff_time (300 s) and doubles, Exim's default
// retry rule every 15 min for 2 h; greylisting delays are minutes.
const explainWindow = 2 * time.Hour

// minRetryGap is the shortest gap between a bounce's deferred try and
// its retry: Postfix retries a deferred message after
// minimal_backoff_time (300 s by default, postconf(5)), Exim by its retry
// rules (Debian's default "F,2h,15m": every 15 min). 4 min leaves room for
// a queue run that starts early. A callout is asked when the spam it
// verifies comes in: a farm's nodes ask within seconds or minutes of one
// another for one forged use.
const minRetryGap = 4 * time.Minute

// heldKind says why a session is held.
type heldKind uint8

const (
	heldNone      heldKind = iota
	heldConvicted          // convicted by the null-sender or postmaster rule
	heldTemporary          // a suspect with only temporary answers (greylisted)
	heldAccepted           // a suspect: sender not logged, one recipient accepted, QUIT
)

// held is a probe waiting for its window to pass.
type held struct {
	p         Probe
	kind      heldKind
	accepted  bool
	rcptKey   string
	host      string // logging host: its clock decides when the window passed
	families  []string
	explained bool // a delivery followed (WhyDelivered)
	retried   bool // ruleRetried matched
}

// explainer holds the probes that a later delivery may explain.
type explainer struct {
	queues   map[string][]*held // by logging host, in arrival order
	byFamily map[string][]*held
	release  func(h *held)
}

func newExplainer(release func(h *held)) *explainer {
	return &explainer{queues: map[string][]*held{}, byFamily: map[string][]*held{}, release: release}
}

// hold keeps p until its logging host's clock passes p.Time + explainWindow,
// after pairing it with the earlier held attempts of its client family
// (ruleRetried, ruleGreylistedCallout).
func (e *explainer) hold(host string, p Probe, v verdict) {
	h := &held{p: p, kind: v.hold, accepted: v.accepted, host: strings.Clone(host), families: clientFamilies(p.IP, p.Helo),
		rcptKey: strings.ToLower(strings.Join(p.Recipients, ","))}
	e.pair(h)
	e.queues[h.host] = append(e.queues[h.host], h)
	for _, f := range h.families {
		e.byFamily[f] = append(e.byFamily[f], h)
	}
}

// pair applies the two-session rules to h and the earlier held attempts
// of its families.
func (e *explainer) pair(later *held) {
	for _, f := range later.families {
		for _, earlier := range e.byFamily[f] {
			gap := later.p.Time.Sub(earlier.p.Time)
			if gap < 0 || gap > explainWindow {
				continue
			}
			if ruleRetried(earlier, later) || ruleRetriedFarm(earlier, later) {
				later.retried = true
				earlier.retried = true
			}
			if v, ok := ruleGreylistedCallout(earlier, later); ok && later.kind == heldAccepted {
				later.kind = heldConvicted
				p := &later.p
				p.Kind, p.Reason, p.Confidence, p.NotAccused = v.rule, v.reason, v.confidence, ""
				p.Sender = earlier.p.Sender
				if len(p.Recipients) == 0 {
					p.Recipients = earlier.p.Recipients
				}
			}
		}
	}
}

// delivered records a message taken with DATA from client ip (HELO helo,
// "" when the line does not say) with the given sender at time at: it
// explains the held attempts of the same sender and family before it.
func (e *explainer) delivered(ip, helo, sender string, at time.Time) {
	if len(e.byFamily) == 0 || ip == "" {
		return
	}
	for _, f := range clientFamilies(ip, helo) {
		for _, h := range e.byFamily[f] {
			if h.kind != heldAccepted && !at.Before(h.p.Time) && at.Sub(h.p.Time) <= explainWindow && strings.EqualFold(h.p.Sender, sender) {
				h.explained = true
			}
		}
	}
}

// advance releases the held probes of host whose window has passed at now.
func (e *explainer) advance(host string, now time.Time) {
	q := e.queues[host]
	n := 0
	for n < len(q) && now.Sub(q[n].p.Time) > explainWindow {
		n++
	}
	if n == 0 {
		return
	}
	for _, h := range q[:n] {
		e.drop(h)
	}
	e.queues[host] = append(q[:0:0], q[n:]...)
}

// flush releases everything still held (end of the scan).
func (e *explainer) flush() {
	hosts := make([]string, 0, len(e.queues))
	for host := range e.queues {
		hosts = append(hosts, host)
	}
	slices.Sort(hosts)
	for _, host := range hosts {
		for _, h := range e.queues[host] {
			e.drop(h)
		}
		delete(e.queues, host)
	}
}

func (e *explainer) drop(h *held) {
	for _, f := range h.families {
		l := e.byFamily[f]
		for i, x := range l {
			if x == h {
				l = append(l[:i], l[i+1:]...)
				break
			}
		}
		if len(l) == 0 {
			delete(e.byFamily, f)
		} else {
			e.byFamily[f] = l
		}
	}
	e.release(h)
}

// clientFamilies names what retries of one sender share: the client's
// address, and its network (IPv4 /24, IPv6 /64) together with the
// domain of its HELO name, so that mx1.bounce.example and
// mx2.bounce.example of one pool are one family while two strangers in
// one /24 are not.
func clientFamilies(ip, helo string) []string {
	if ip == "" {
		return nil
	}
	out := []string{"ip:" + ip}
	a, err := netip.ParseAddr(ip)
	d := heloDomain(helo)
	if err != nil || d == "" {
		return out
	}
	a = a.Unmap()
	bits := 24
	if a.Is6() {
		bits = 64
	}
	if p, err := a.Prefix(bits); err == nil {
		out = append(out, "net:"+p.String()+" helo:"+d)
	}
	return out
}

// heloDomain is the HELO name without its first label, lower case, when
// it has at least three labels and is not an address literal.
func heloDomain(helo string) string {
	helo = strings.ToLower(strings.TrimSuffix(helo, "."))
	if helo == "" || strings.HasPrefix(helo, "[") || looksLikeIP(helo) || strings.Count(helo, ".") < 2 {
		return ""
	}
	return helo[strings.IndexByte(helo, '.')+1:]
}

// sameFamily tells whether two held attempts share their network and
// HELO-domain family (clientFamilies), not only a bucket of pair's.
func sameFamily(a, b *held) bool {
	for _, f := range a.families {
		if strings.HasPrefix(f, "net:") && slices.Contains(b.families, f) {
			return true
		}
	}
	return false
}
