package evidence

import (
	"cmp"
	"math"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// campaign collects the forged-sender side: own-domain senders used by
// clients outside the own networks, and bounces (backscatter) to own
// addresses that the operator never used as senders.
type campaign struct {
	domains  domainSet
	nets     []netip.Prefix
	ipCache  map[string]bool
	forged   map[string]*addrUses
	bounces  map[string]*addrUses
	usedOwn  map[string]bool       // own addresses seen sending from own networks or locally
	grey     map[string][]greySeen // greylist records of forged uses, by ip, from and to (campaign_grey.go)
	keepRaw  int
	keepUses int
	clock    useClock // the forged uses' times (campaign_uses.go)
}

// addrUses aggregates the uses of one address.
type addrUses struct {
	fs      ForgedSender
	clients clientSet
	times   []forgedUse
}

func newCampaign(domains []string, nets []netip.Prefix) *campaign {
	return &campaign{
		domains:  newDomainSet(domains),
		nets:     nets,
		ipCache:  map[string]bool{},
		forged:   map[string]*addrUses{},
		bounces:  map[string]*addrUses{},
		usedOwn:  map[string]bool{},
		grey:     map[string][]greySeen{},
		keepRaw:  5,
		keepUses: 4096,
	}
}

// ownIP tells whether ip is inside the own networks.
func (c *campaign) ownIP(ip string) bool {
	if len(c.nets) == 0 {
		return false // no own networks configured: no cache look-up per message
	}
	if v, ok := c.ipCache[ip]; ok {
		return v
	}
	addr, err := netip.ParseAddr(ip)
	own := false
	if err == nil {
		addr = addr.Unmap()
		for _, p := range c.nets {
			if p.Contains(addr) {
				own = true
				break
			}
		}
	}
	if len(c.ipCache) > 100000 {
		clear(c.ipCache)
	}
	c.ipCache[strings.Clone(ip)] = own // keys must not pin read buffers
	return own
}

// senderUse looks at an envelope sender: an own-domain sender from a client
// outside the own networks is forged; from inside, from a client that
// authenticated (SMTP AUTH: Postfix "client=…, sasl_username=…", Exim
// "<= … A=…", carried to the sender's line as Event.Authenticated), or
// with no client (a local submission) it is a used address, our own mail.
// A forged use is never made by a client holding our credentials, so an
// authenticated message is never listed under forged_senders nor linked
// to a later probe ("probe after forgery"). A Postfix refusal
// (NOQUEUE: reject … from=<own>) does not say whether the client logged
// in, its disconnect statistics do (auth=1): such uses wait in the
// session until it closes (flushUses); Exim writes A= on the refusal.
// Tested against (campaign_auth_test.go): a roaming user's Postfix SASL
// and Exim A= submissions of alice@ from outside --network followed by a
// callout of alice@ (no forged sender, no link); her refused RCPTs in a
// Postfix auth=1 session and with Exim's A= (not forged); controls: the
// same messages and refusals without AUTH are forged uses and are linked.
func (c *campaign) senderUse(ev *Event) { c.senderUseFrom(ev, time.Time{}) }

// senderUseFrom is senderUse for a line of a session that had reached
// began (its connect or previous line) before this command.
func (c *campaign) senderUseFrom(ev *Event, began time.Time) {
	if !c.ownSender(ev) {
		return
	}
	addr := strings.ToLower(ev.Sender)
	if ev.IP == "" || ev.Authenticated || c.ownIP(ev.IP) {
		if !c.usedOwn[addr] {
			c.usedOwn[strings.Clone(addr)] = true
		}
		return
	}
	c.record(c.forged, addr, ev, began)
}

// flushUses records the own-domain sender uses a Postfix session kept
// until its close (session.uses): as our own mail's when the client
// authenticated (disconnect statistics auth=1), else as forged.
func (c *campaign) flushUses(s *session) {
	auth := (s.stats != nil && s.stats.Auth > 0) || s.auth
	for _, u := range s.uses {
		ev := Event{Time: u.at, IP: s.ip, Sender: u.sender, HasSender: true, Authenticated: auth, File: u.file, Line: u.line, Raw: u.raw}
		c.senderUseFrom(&ev, u.began)
	}
	s.uses = s.uses[:0]
}

// ownSender tells whether ev names a sender in the own domains (not the
// null sender).
func (c *campaign) ownSender(ev *Event) bool {
	return ev.HasSender && ev.Sender != "" && !c.domains.empty() && c.domains.hasAddr(ev.Sender)
}

// bounceTo records a null-sender message delivered to an own address.
func (c *campaign) bounceTo(ev *Event) {
	if ev.Recipient == "" || c.domains.empty() || !c.domains.hasAddr(ev.Recipient) {
		return
	}
	if ev.IP != "" && c.ownIP(ev.IP) {
		return // our own bounce to our own user is not backscatter
	}
	c.record(c.bounces, strings.ToLower(ev.Recipient), ev, time.Time{})
}

func (c *campaign) record(m map[string]*addrUses, addr string, ev *Event, began time.Time) {
	u := m[addr]
	if u == nil {
		addr = strings.Clone(addr)
		u = &addrUses{fs: ForgedSender{Address: addr, FirstSeen: ev.Time, LastSeen: ev.Time}}
		m[addr] = u
	}
	u.fs.Count++
	if ev.Time.Before(u.fs.FirstSeen) {
		u.fs.FirstSeen = ev.Time
	}
	if ev.Time.After(u.fs.LastSeen) {
		u.fs.LastSeen = ev.Time
	}
	if ev.IP != "" {
		u.clients.add(ev.IP)
	}
	if len(u.times) < c.keepUses {
		u.times = append(u.times, c.clock.use(ev.Time, began))
	}
	if len(u.fs.Lines) < c.keepRaw {
		u.fs.Lines = append(u.fs.Lines, keepLine(Line{File: ev.File, Line: ev.Line, Raw: ev.Raw}))
	}
}

// keepLine copies a line out of its chunk (see parseChunk), so that kept
// evidence does not hold a whole chunk of the log in memory.
func keepLine(l Line) Line {
	l.Raw = strings.Clone(l.Raw)
	return l
}

// result builds the Campaign; window bounds the probe–forgery links.
//
// The probers come through a function: result sorts the forged and the
// backscatter addresses, each on its own goroutine, while the caller
// finishes the probers, which only the links need. This is the serial
// end of a scan, after the pipeline; on two cores it takes half as long.
func (c *campaign) result(probers func() []Prober, window time.Duration) Campaign {
	out := Campaign{Links: []Link{}}
	var wg sync.WaitGroup
	wg.Go(func() {
		out.ForgedSenders = make([]ForgedSender, 0, len(c.forged))
		for _, u := range c.forged {
			out.ForgedSenders = append(out.ForgedSenders, u.final())
		}
		sortForged(out.ForgedSenders)
	})
	wg.Go(func() {
		out.Backscatter = []ForgedSender{}
		for addr, u := range c.bounces {
			if !c.usedOwn[addr] {
				out.Backscatter = append(out.Backscatter, u.final())
			}
		}
		sortForged(out.Backscatter)
	})
	ps := probers()
	wg.Wait() // links look up the forged uses that final sorted
	out.Links = c.links(ps, window)
	return out
}

func (u *addrUses) final() ForgedSender {
	fs := u.fs
	fs.Clients = u.clients.sorted()
	// slices.SortFunc, not sort.Slice: the same pattern-defeating
	// quicksort (so the same order of equal times), without the
	// reflection-built swapper, for each of thousands of addresses.
	slices.SortFunc(u.times, func(a, b forgedUse) int { return cmp.Compare(a.at, b.at) })
	return fs
}

func sortForged(v []ForgedSender) {
	slices.SortFunc(v, func(a, b ForgedSender) int {
		if c := a.FirstSeen.Compare(b.FirstSeen); c != 0 {
			return c
		}
		return strings.Compare(a.Address, b.Address)
	})
}

// links ties probes to forged uses of the same address within window
// before the probe (the nearest such use gives the delay). An Exim random
// probe carries no real address: it is tied to the nearest forged
// addresses of the same domain, marked Match "domain".
func (c *campaign) links(probers []Prober, window time.Duration) []Link {
	links := []Link{}
	byDomain := map[string][]string{} // forged addresses per domain, for domain links
	for addr := range c.forged {
		d := domainOf(addr)
		byDomain[d] = append(byDomain[d], addr)
	}
	for _, p := range probers {
		for _, ev := range p.Events {
			found := false
			for i, r := range ev.Recipients {
				addr := strings.ToLower(r)
				// A session (an Exim one without +pid especially) may ask
				// for addresses minutes apart: use when this one was asked.
				asked := ev.Time
				if i < len(ev.asked) && !ev.asked[i].IsZero() {
					asked = ev.asked[i]
				}
				if at, ok := c.forgedUseFor(addr, asked, window); ok {
					l := newLink(p.IP, addr, at, ev, "address")
					l.ProbedAt, l.DelaySec = asked, asked.Sub(at).Seconds()
					links = append(links, l)
					found = true
				}
			}
			if !found && ev.Kind == ProbeEximRandom {
				links = append(links, c.domainLinks(p.IP, ev, window, byDomain)...)
			}
		}
	}
	sort.Slice(links, func(i, j int) bool {
		a, b := &links[i], &links[j] // not copies: a Link is 150 bytes
		if !a.ProbedAt.Equal(b.ProbedAt) {
			return a.ProbedAt.Before(b.ProbedAt)
		}
		if a.ProberIP != b.ProberIP {
			return a.ProberIP < b.ProberIP
		}
		return a.Address < b.Address
	})
	return links
}

func newLink(ip, addr string, at time.Time, ev Probe, match string) Link {
	return Link{ProberIP: ip, Address: addr, ForgedAt: at, ProbedAt: ev.Time,
		DelaySec: ev.Time.Sub(at).Seconds(), Match: match, ProbeKind: ev.Kind}
}

// domainLinks returns up to three forged addresses of the probed domain
// used within window before the probe (or just after it, see
// forgedUseFor), nearest first.
func (c *campaign) domainLinks(ip string, ev Probe, window time.Duration, byDomain map[string][]string) []Link {
	// The three nearest, kept in order as the candidates come: a domain
	// may have hundreds of forged addresses, and sorting them all for
	// each probe was most of the report's links.
	var best [3]Link
	n := 0
	for _, r := range ev.Recipients {
		for _, addr := range byDomain[domainOf(r)] {
			at, ok := c.forgedUseFor(addr, ev.Time, window)
			if !ok {
				continue
			}
			l := newLink(ip, addr, at, ev, "domain")
			i := n
			for i > 0 && nearerLink(&l, &best[i-1]) {
				i--
			}
			if i == len(best) {
				continue
			}
			copy(best[i+1:], best[i:])
			best[i], n = l, min(n+1, len(best))
		}
	}
	return append([]Link(nil), best[:n]...)
}

// nearerLink orders domain links by distance in time, then address.
func nearerLink(a, b *Link) bool {
	if da, db := math.Abs(a.DelaySec), math.Abs(b.DelaySec); da != db {
		return da < db
	}
	return a.Address < b.Address
}

// domainSet matches own domains and their subdomains, case-insensitively.
type domainSet map[string]bool

func newDomainSet(domains []string) domainSet {
	d := domainSet{}
	for _, s := range domains {
		s = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
		if s != "" {
			d[s] = true
		}
	}
	return d
}

func (d domainSet) empty() bool { return len(d) == 0 }

func (d domainSet) hasAddr(addr string) bool {
	dom := domainOf(addr)
	for dom != "" {
		if d[dom] {
			return true
		}
		i := strings.IndexByte(dom, '.')
		if i < 0 {
			return false
		}
		dom = dom[i+1:]
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// retriedBounce records the recipients of a bounce attempt that was
// retried (rules.go ruleRetried) as backscatter to own addresses.
func (c *campaign) retriedBounce(p *Probe) {
	ev := Event{Time: p.Time, IP: p.IP}
	if len(p.Lines) > 0 {
		l := p.Lines[0]
		for _, cand := range p.Lines { // the line that names the recipient
			if strings.Contains(cand.Raw, "@") {
				l = cand
				break
			}
		}
		ev.File, ev.Line, ev.Raw = l.File, l.Line, l.Raw
	}
	for _, r := range p.Recipients {
		ev.Recipient = r
		c.bounceTo(&ev)
	}
}
