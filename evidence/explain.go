package evidence

import (
	"maps"
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
// A delivery in the window BEFORE the attempt explains it the same way:
// a host whose null-sender mail we take with DATA is a bouncer, and the
// order of its bounces says nothing (exim-remote1.log: 127.0.4.35's
// refused backscatter bounces sit between its delivered ones; a local-time
// log read across the end of summer time puts a later delivery 40 min
// before). Tested against: adversarial_test.go's bounce delivered before
// a refused bounce, and a refused bounce across the DST change.
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
	heldVerified           // convicted by another rule, an accepted address named: ruleVerifiedThenDelivered may explain it
	heldOwnRelay           // convicted by another rule while our own mail was in flight: ruleOwnMailRelayed may explain it
)

// held is a probe waiting for its window to pass.
type held struct {
	p         Probe
	kind      heldKind
	accepted  bool
	rcptKey   string
	host      string // logging host: its clock decides when the window passed
	families  []string
	verified  string // the accepted address the log names (ruleVerifiedThenDelivered)
	forwarded bool   // a delivery to verified followed (WhyForwarded)
	explained bool   // a delivery followed (WhyDelivered)
	retried   bool   // ruleRetried matched
	ownRelay  bool   // ruleOwnMailRelayed matched (WhyOwnMail)
}

// explainer holds the probes that a later delivery may explain.
type explainer struct {
	queues   map[string][]*held // by logging host, in arrival order
	byFamily map[string][]*held
	release  func(h *held)
	// sent remembers, by client family and sender (callout senders only:
	// <>, postmaster@, double-bounce@), the last message taken with DATA,
	// so that a later attempt of the same family and sender is explained
	// like an earlier one. Entries older than sentKeep behind the newest
	// delivery are swept when the map doubles: bounded by the bouncing
	// families of one day.
	// ownMail: by own address (lower case), when a message from it last
	// entered our queue from an own network (ruleOwnMailVerified,
	// ruleOwnMailReturned), swept when older than ownMailReturnWindow and
	// a day behind the newest: bounded by the own senders of a week.
	ownMail       map[string]time.Time
	ownMailNewest time.Time
	ownMailSwept  int
	sent          map[string]time.Time
	sentNewest    time.Time
	sentSwept     int
	// ownMailDom: by own domain (lower case), when own mail from it last
	// entered the queue: a conviction is held for ruleOwnMailRelayed only
	// while such mail may be in flight. Bounded by the own domains.
	ownMailDom map[string]time.Time
	// relayed: by relay family (relayFamilies), our own mail's latest
	// remote deliveries (at most maxRelayed each), for ruleOwnMailRelayed;
	// families whose newest is sentKeep behind the newest of all are
	// swept when the map doubles: bounded by the relays of one day.
	relayed       map[string][]relayedMail
	relayedNewest time.Time
	relayedSwept  int
	// short: by logging host, the heldOwnRelay probes, released after
	// ownMailWindow + ownRelaySlack (no later delivery can explain them),
	// not explainWindow: a storm's random callouts are held 16 minutes.
	short map[string][]*held
}

// relayedMail is one remote delivery attempt of our own mail.
type relayedMail struct {
	at     time.Time
	sender string // lower case
}

// maxRelayed bounds the deliveries remembered per relay family: the
// latest, which are the ones a callout within ownMailWindow can match.
const maxRelayed = 64

// sentKeep is how long a delivery is remembered behind the newest one
// seen: explainWindow, with room for logging hosts whose clocks differ.
const sentKeep = 24 * time.Hour

func newExplainer(release func(h *held)) *explainer {
	return &explainer{queues: map[string][]*held{}, byFamily: map[string][]*held{}, release: release, sent: map[string]time.Time{},
		ownMail: map[string]time.Time{}, ownMailDom: map[string]time.Time{}, relayed: map[string][]relayedMail{}, short: map[string][]*held{}}
}

// sentKey names a family's deliveries from one sender.
func sentKey(family, sender string) string { return family + "\x00" + strings.ToLower(sender) }

// deliveredBefore tells whether the families delivered a message with DATA
// from sender within explainWindow before at.
func (e *explainer) deliveredBefore(families []string, sender string, at time.Time) bool {
	for _, f := range families {
		if t, ok := e.sent[sentKey(f, sender)]; ok && !t.After(at) && at.Sub(t) <= explainWindow {
			return true
		}
	}
	return false
}

// rememberOwnMail records a message from own address sender that entered
// the queue from an own network or a local submission at at.
func (e *explainer) rememberOwnMail(sender string, at time.Time) {
	k := strings.ToLower(sender)
	if t, ok := e.ownMail[k]; !ok || at.After(t) {
		e.ownMail[strings.Clone(k)] = at
	}
	if d := domainOf(k); d != "" {
		if t, ok := e.ownMailDom[d]; !ok || at.After(t) {
			e.ownMailDom[strings.Clone(d)] = at
		}
	}
	if at.After(e.ownMailNewest) {
		e.ownMailNewest = at
	}
	if len(e.ownMail) > 2*e.ownMailSwept+1024 {
		for k, t := range e.ownMail {
			if e.ownMailNewest.Sub(t) > ownMailReturnWindow+sentKeep {
				delete(e.ownMail, k)
			}
		}
		e.ownMailSwept = len(e.ownMail)
	}
}

// ownMailUse says when a message from own address addr last entered the
// queue from an own network, as far as the log read so far shows.
func (e *explainer) ownMailUse(addr string) (time.Time, bool) {
	t, ok := e.ownMail[strings.ToLower(addr)]
	return t, ok
}

// ownMailInFlight tells whether own mail from the domain of every
// address in addrs entered the queue within ownMailWindow before at: its
// remote delivery, and so the receiver's callout, may still be coming.
func (e *explainer) ownMailInFlight(addrs []string, at time.Time) bool {
	for _, a := range addrs {
		t, ok := e.ownMailDom[strings.ToLower(domainOf(a))]
		if !ok || t.After(at) || at.Sub(t) > ownMailWindow {
			return false
		}
	}
	return len(addrs) > 0
}

// ownRelayed records a remote delivery attempt of our own mail from
// sender to the relay ip (name: the MX host name Postfix connected to) at
// at: it explains the held convictions of the relay's families it
// matches (ruleOwnMailRelayed), and is remembered for the later ones.
func (e *explainer) ownRelayed(ip, name, sender string, at time.Time) {
	d := relayedMail{at: at, sender: strings.ToLower(sender)}
	fams := relayFamilies(ip, name, name)
	for _, f := range fams {
		l := append(e.relayed[f], d)
		if len(l) > maxRelayed {
			l = append(l[:0:0], l[len(l)-maxRelayed:]...)
		}
		e.relayed[f] = l
		for _, h := range e.byFamily[f] {
			if !h.ownRelay && h.convicted() && ruleOwnMailRelayed(h.p.Recipients, h.p.Time, l[len(l)-1:]) {
				h.ownRelay = true
			}
		}
	}
	if at.After(e.relayedNewest) {
		e.relayedNewest = at
	}
	if len(e.relayed) > 2*e.relayedSwept+1024 {
		for k, l := range e.relayed {
			if e.relayedNewest.Sub(l[len(l)-1].at) > sentKeep {
				delete(e.relayed, k)
			}
		}
		e.relayedSwept = len(e.relayed)
	}
}

// ownRelayedTo tells whether a remote delivery of our own mail already
// read explains a callout of addrs at at by a client of families
// (ruleOwnMailRelayed).
func (e *explainer) ownRelayedTo(families, addrs []string, at time.Time) bool {
	for _, f := range families {
		if l, ok := e.relayed[f]; ok && ruleOwnMailRelayed(addrs, at, l) {
			return true
		}
	}
	return false
}

// convicted tells whether h counts as a probe unless something explains it.
func (h *held) convicted() bool {
	return h.kind == heldConvicted || h.kind == heldVerified || h.kind == heldOwnRelay
}

// holdShort keeps a heldOwnRelay probe for ownMailWindow + ownRelaySlack
// of its logging host's time (advance), without pairing it: it waits for
// our own delivery only.
func (e *explainer) holdShort(host string, p Probe) {
	h := &held{p: p, kind: heldOwnRelay, host: strings.Clone(host), families: relayFamilies(p.IP, p.Name, p.Helo)}
	e.short[h.host] = append(e.short[h.host], h)
	for _, f := range h.families {
		e.byFamily[f] = append(e.byFamily[f], h)
	}
}

// rememberSent records a delivery for deliveredBefore.
func (e *explainer) rememberSent(families []string, sender string, at time.Time) {
	if !mayBeCalloutSender(sender) {
		return
	}
	for _, f := range families {
		k := sentKey(f, sender)
		if t, ok := e.sent[k]; !ok || at.After(t) {
			e.sent[k] = at
		}
	}
	if at.After(e.sentNewest) {
		e.sentNewest = at
	}
	if len(e.sent) > 2*e.sentSwept+1024 {
		for k, t := range e.sent {
			if e.sentNewest.Sub(t) > sentKeep {
				delete(e.sent, k)
			}
		}
		e.sentSwept = len(e.sent)
	}
}

// hold keeps p until its logging host's clock passes p.Time + explainWindow,
// after pairing it with the earlier held attempts of its client family
// (ruleRetried, ruleGreylistedCallout).
func (e *explainer) hold(host string, p Probe, v verdict) {
	h := &held{p: p, kind: v.hold, accepted: v.accepted, verified: strings.Clone(v.verified), host: strings.Clone(host), families: clientFamilies(p.IP, p.Name, p.Helo),
		rcptKey: strings.ToLower(strings.Join(p.Recipients, ","))}
	if (h.kind == heldConvicted || h.kind == heldTemporary) && e.deliveredBefore(h.families, p.Sender, p.Time) {
		h.explained = true
	}
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
		if strings.HasPrefix(f, nameFamily) {
			continue // explains, never pairs (clientFamilies)
		}
		for _, earlier := range e.byFamily[f] {
			if earlier.kind == heldOwnRelay {
				continue // waits for our delivery only (holdShort)
			}
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

// delivered records a message taken with DATA from client ip (reverse
// name and HELO helo, "" when the line does not say) with the given sender at time at: it
// explains the held attempts of the same sender and family within
// explainWindow of it, before or after, and is remembered for the
// attempts held later (deliveredBefore).
func (e *explainer) delivered(ip, name, helo, sender string, at time.Time) {
	if ip == "" {
		return
	}
	families := clientFamilies(ip, name, helo)
	e.rememberSent(families, sender, at)
	for _, f := range families {
		for _, h := range e.byFamily[f] {
			// Either order (see the top of the file): a delivery logged
			// after a held attempt may carry an earlier stamp.
			if gap := at.Sub(h.p.Time); (h.kind == heldConvicted || h.kind == heldTemporary) && gap >= -explainWindow && gap <= explainWindow && strings.EqualFold(h.p.Sender, sender) {
				h.explained = true
			}
		}
	}
}

// deliveredTo records a message taken with DATA from client ip (reverse
// name name) and delivered to own address rcpt at at: it explains the held
// verifications of that address by the same family before it
// (ruleVerifiedThenDelivered).
func (e *explainer) deliveredTo(ip, name, rcpt string, at time.Time) {
	if len(e.byFamily) == 0 || ip == "" {
		return
	}
	for _, f := range clientFamilies(ip, name, "") {
		for _, h := range e.byFamily[f] {
			if (h.kind == heldConvicted || h.kind == heldVerified) && ruleVerifiedThenDelivered(h.verified, rcpt, h.p.Time, at) {
				h.forwarded = true
			}
		}
	}
}

// advance releases the held probes of host whose window has passed at now.
func (e *explainer) advance(host string, now time.Time) {
	if q := e.short[host]; len(q) > 0 {
		n := 0
		for n < len(q) && now.Sub(q[n].p.Time) > ownMailWindow+ownRelaySlack {
			e.drop(q[n])
			n++
		}
		if n == len(q) {
			delete(e.short, host)
		} else if n > 0 {
			e.short[host] = append(q[:0:0], q[n:]...)
		}
	}
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

// flush releases everything still held (end of the scan): the probes
// waiting for a delivery, then the heldOwnRelay ones, each by host name.
func (e *explainer) flush() {
	e.dropAll(e.queues)
	e.dropAll(e.short)
}

// dropAll releases and forgets every held probe of m, host by host in
// name order so that the release order does not depend on map order.
func (e *explainer) dropAll(m map[string][]*held) {
	for _, host := range slices.Sorted(maps.Keys(m)) {
		for _, h := range m[host] {
			e.drop(h)
		}
		delete(m, host)
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
// domain of its HELO name or of its reverse name, so that
// mx1.bounce.example and mx2.bounce.example of one pool are one family
// while two strangers in one /24 are not. The reverse name counts because
// Postfix logs no HELO for a message it accepted (only "client=name[ip]"),
// and it is confirmed: Postfix and Exim log a reverse name only when it
// resolves back to the address ("unknown" otherwise).
//
// The reverse-name families ("name:", the /24 and the /16 (IPv6 /64 and
// /48) with the reverse name's domain) only explain (a delivery makes an
// attempt a suspect), never pair two attempts into a conviction (pair
// skips them): a hoster's generic names (hostN.static.hoster.example)
// make strangers in one /24 look like one pool, and the outbound pools of
// Microsoft 365 (*.outbound.protection.outlook.com) and Google
// (*.google.com) spread one service over many /24s.
// Tested against (adversarial_test.go): a refused and a delivered DSN
// from two nodes of one /24 (Postfix), and from two /24s of Microsoft 365.
func clientFamilies(ip, name, helo string) []string {
	if ip == "" {
		return nil
	}
	out := []string{"ip:" + ip}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return out
	}
	a = a.Unmap()
	narrow, wide := 24, 16
	if a.Is6() {
		narrow, wide = 64, 48
	}
	p, err := a.Prefix(narrow)
	if err != nil {
		return out
	}
	if hd := heloDomain(helo); hd != "" {
		out = append(out, "net:"+p.String()+" helo:"+hd)
	}
	if nd := heloDomain(name); nd != "" {
		out = append(out, nameFamily+p.String()+" "+nd)
		if w, err := a.Prefix(wide); err == nil {
			out = append(out, nameFamily+w.String()+" "+nd)
		}
	}
	return out
}

// relayFamilies are clientFamilies without the wide (/16, /48)
// reverse-name ones: our delivery to a relay explains a callout from the
// relay's address, or its /24 (/64) with the same HELO or reverse-name
// domain (an MX pool's verifying node), not a whole provider's range.
func relayFamilies(ip, name, helo string) []string {
	fams := clientFamilies(ip, name, helo)
	out := fams[:0]
	for _, f := range fams {
		if strings.HasPrefix(f, nameFamily) {
			if p, _, _ := strings.Cut(f[len(nameFamily):], " "); strings.HasSuffix(p, "/16") || strings.HasSuffix(p, "/48") {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// nameFamily prefixes the families that explain but never convict.
const nameFamily = "name:"

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
