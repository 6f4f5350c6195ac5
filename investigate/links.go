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
	forgedFirst  time.Time // first forged use of any own address (zero: none)
	forgedDoms   []string  // domains of the forged addresses
	forgedCount  int       // forged addresses
	linkedIPs    []string  // probers that asked about a forged address
	linkedProbes int       // probes that asked about a forged address
	firstLinked  time.Time // first such probe (zero: none)
	firstProbe   time.Time // first probe of any kind (zero: none)
	probes       int       // all probe sessions
}

// link ties probes to forged senders: a probe is linked when it asked about
// an address that had been used as a forged sender at or before the probe
// (or that the scan linked to a forged use itself). Addresses compare case-insensitively:
// local parts are case-sensitive in RFC 5321, but no MTA treats them so.
func link(rep evidence.Report) linkage {
	var l linkage
	forged := map[string]time.Time{}
	doms := map[string]bool{}
	for _, f := range rep.Campaign.ForgedSenders {
		a := strings.ToLower(f.Address)
		forged[a] = f.FirstSeen
		if i := strings.LastIndexByte(a, '@'); i >= 0 {
			doms[a[i+1:]] = true
		}
		l.forgedFirst = earliest(l.forgedFirst, f.FirstSeen)
	}
	l.forgedCount = len(forged)
	l.forgedDoms = slices.Sorted(maps.Keys(doms))
	// The scan's own links also tie Exim random probes, which carry no
	// real address, to forged use of another address in the domain.
	scanLinked := map[string]bool{}
	for _, k := range rep.Campaign.Links {
		scanLinked[probeKey(k.ProberIP, k.ProbedAt)] = true
	}
	ips := map[string]bool{}
	for _, p := range rep.Probers {
		for _, ev := range p.Events {
			l.probes++
			l.firstProbe = earliest(l.firstProbe, ev.Time)
			if !probeLinked(ev, forged, scanLinked) {
				continue
			}
			l.linkedProbes++
			ips[ev.IP] = true
			l.firstLinked = earliest(l.firstLinked, ev.Time)
		}
	}
	l.linkedIPs = slices.Sorted(maps.Keys(ips))
	return l
}

func probeKey(ip string, t time.Time) string { return ip + "|" + t.UTC().Format(time.RFC3339Nano) }

func probeLinked(ev evidence.Probe, forged map[string]time.Time, scanLinked map[string]bool) bool {
	if scanLinked[probeKey(ev.IP, ev.Time)] {
		return true
	}
	for _, r := range ev.Recipients {
		if t, ok := forged[strings.ToLower(r)]; ok && !t.After(ev.Time) {
			return true
		}
	}
	return false
}

// earliest is the earlier of cur and t; a zero cur means none seen yet.
func earliest(cur, t time.Time) time.Time {
	if cur.IsZero() || t.Before(cur) {
		return t
	}
	return cur
}
