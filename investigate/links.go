package investigate

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// linkage is how the probes relate to the forged-sender campaign.
type linkage struct {
	// The linked probes by kind: asked names the probes that asked for a
	// forged address; byTime the Exim random probes the scan tied to a
	// forgery in the domain by time alone (evidence.Link Match "domain"),
	// which asked about no forged address; unsampled the linked probes
	// outside the probers' samples, which the scan counts (by prober and
	// by time bucket) without saying of which kind. The verdict counts all.
	asked, byTime, unsampled probeTally

	forgedFirst  time.Time // first forged use of any own address (zero: none)
	forgedDoms   []string  // domains of the forged addresses
	forgedCount  int       // forged addresses
	linkedIPs    []string  // probers with a linked probe (any kind above)
	linkedProbes int       // linked probes (any kind above)
	firstLinked  time.Time // first such probe (zero: none)
	firstProbe   time.Time // first probe of any kind (zero: none)
	probes       int       // all probe sessions
	linkedTimes  []time.Time
	omitted      evidence.OmittedLinks // linked probes the samples leave out, by time bucket
	window       time.Duration         // the link window used
}

// linkedBetween counts the linked probes in [from, to]: the sampled ones
// by their times, the others by the scan's time buckets, a bucket only
// when it lies wholly inside (so a bucket across a listing's start counts
// neither before nor after it).
func (l linkage) linkedBetween(from, to time.Time) int {
	n := 0
	for _, t := range l.linkedTimes {
		if !t.Before(from) && !t.After(to) {
			n++
		}
	}
	width := time.Duration(l.omitted.BucketSeconds) * time.Second
	for _, b := range l.omitted.Buckets {
		if !b.Start.Before(from) && !b.Start.Add(width).After(to) {
			n += b.Count
		}
	}
	return n
}

// link ties probes to forged senders: a probe is linked when it asked about
// an address whose first or last use as a forged sender came at most
// window before the probe (or that the scan linked to a forged use
// itself, under its own link window: an Exim random probe by time alone).
// A use long before cannot have set off the probe: callout caches last a
// day (Exim positive) to a month (Postfix), and a prober asks again only
// after its cache expires.
// Addresses compare case-insensitively: local parts are case-sensitive
// in RFC 5321, but no MTA treats them so.
func link(rep evidence.Report, window time.Duration) linkage {
	l := linkage{window: window}
	forged := map[string]evidence.ForgedSender{}
	doms := map[string]bool{}
	for _, f := range rep.Campaign.ForgedSenders {
		a := strings.ToLower(f.Address)
		forged[a] = f
		if i := strings.LastIndexByte(a, '@'); i >= 0 {
			doms[a[i+1:]] = true
		}
		l.forgedFirst = earliest(l.forgedFirst, f.FirstSeen)
	}
	l.forgedCount = len(forged)
	l.forgedDoms = slices.Sorted(maps.Keys(doms))
	// The scan's own links also tie Exim random probes, which carry no
	// real address, to forged use of another address in the domain.
	scanLinked, scanAsked := map[string]bool{}, map[string]bool{}
	for _, k := range rep.Campaign.Links {
		scanLinked[probeKey(k.ProberIP, k.ProbedAt)] = true
		if k.Match == matchAddress {
			scanAsked[probeKey(k.ProberIP, k.ProbedAt)] = true
		}
	}
	ips := map[string]bool{}
	for _, p := range rep.Probers {
		for _, ev := range p.Events {
			l.probes++
			l.firstProbe = earliest(l.firstProbe, ev.Time)
			// A probe asked for a forged address by its own recipients
			// or by the scan's address link; one the scan linked only
			// by domain (a random local part names no sender) did not.
			k := probeKey(ev.IP, ev.Time)
			asked := scanAsked[k] || askedForged(ev, forged, window)
			if !asked && !scanLinked[k] {
				continue
			}
			if asked {
				l.asked.add(ev)
			} else {
				l.byTime.add(ev)
			}
			l.linkedProbes++
			l.linkedTimes = append(l.linkedTimes, ev.Time)
			ips[ev.IP] = true
			l.firstLinked = earliest(l.firstLinked, ev.Time)
		}
	}
	// The samples hold the first and last probes of each prober; the
	// scan counted the linked probes between them (under its own link
	// window).
	for _, p := range rep.Probers {
		if p.LinkedProbes > sampledLinks(p, scanLinked) {
			ips[p.IP] = true
			l.unsampled.addHost(p.IP)
		}
	}
	l.omitted = rep.Campaign.OmittedLinks
	l.linkedProbes += l.omitted.Probes
	l.unsampled.probes = l.omitted.Probes
	for _, b := range l.omitted.Buckets {
		// A bucket starts up to a minute before its first probe; a linked
		// probe never precedes the first forged use by more than the
		// scan's verify lag, so the bucket is not dated before that use.
		at := b.Start
		if at.Before(l.forgedFirst) {
			at = l.forgedFirst
		}
		l.firstLinked = earliest(l.firstLinked, at)
		l.unsampled.first = earliest(l.unsampled.first, at)
	}
	l.probes += omittedProbes(rep)
	l.linkedIPs = slices.Sorted(maps.Keys(ips))
	return l
}

// sampledLinks counts p's sampled probes that the scan linked.
func sampledLinks(p evidence.Prober, scanLinked map[string]bool) int {
	n := 0
	for _, ev := range p.Events {
		if scanLinked[probeKey(ev.IP, ev.Time)] {
			n++
		}
	}
	return n
}

// omittedProbes counts the probes the samples leave out.
func omittedProbes(rep evidence.Report) int {
	n := 0
	for _, p := range rep.Probers {
		n += p.Omitted
	}
	return n
}

func probeKey(ip string, t time.Time) string { return ip + "|" + t.UTC().Format(time.RFC3339Nano) }

// matchAddress is evidence.Link.Match when the probe asked for the forged
// address itself (evidence/campaign.go); "domain" marks an Exim random
// probe tied to a forgery in the domain by time alone.
const matchAddress = "address"

// askedForged: one of the probe's recipients was forged as a sender at
// most window before the probe.
func askedForged(ev evidence.Probe, forged map[string]evidence.ForgedSender, window time.Duration) bool {
	for _, r := range ev.Recipients {
		f, ok := forged[strings.ToLower(r)]
		if ok && (within(f.FirstSeen, ev.Time, window) || within(f.LastSeen, ev.Time, window)) {
			return true
		}
	}
	return false
}

// probeTally counts linked probes of one kind.
type probeTally struct {
	probes int
	hosts  map[string]bool
	first  time.Time // first such probe (zero: none)
}

func (t *probeTally) add(ev evidence.Probe) {
	t.probes++
	t.addHost(ev.IP)
	t.first = earliest(t.first, ev.Time)
}

func (t *probeTally) addHost(ip string) {
	if t.hosts == nil {
		t.hosts = map[string]bool{}
	}
	t.hosts[ip] = true
}

// within: use came at or before probe, by at most window.
func within(use, probe time.Time, window time.Duration) bool {
	return !use.IsZero() && !use.After(probe) && probe.Sub(use) <= window
}

// earliest is the earlier of cur and t; a zero cur means none seen yet.
func earliest(cur, t time.Time) time.Time {
	if cur.IsZero() || t.Before(cur) {
		return t
	}
	return cur
}
