package notify

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// IncidentKey is the dedupe key of one incident: a prober asking about an
// address on a day (UTC). A desk told about it once is not told again,
// however often the prober asked that day or however often notify runs.
func IncidentKey(proberIP, address string, t time.Time) string {
	return proberIP + "|" + strings.ToLower(address) + "|" + t.UTC().Format("2006-01-02")
}

// probeKeys are the keys of one probe: one per address it asked about.
func probeKeys(ip string, e evidence.Probe) []string {
	keys := make([]string, 0, len(e.Recipients))
	for _, a := range e.Recipients {
		keys = append(keys, IncidentKey(ip, a, e.Time))
	}
	return keys
}

// proberKeys are the keys of every incident of a prober. A prober without
// events (a summary) yields one key per probed address on its first day.
func proberKeys(p evidence.Prober) []string {
	var keys []string
	if len(p.Events) == 0 {
		for _, a := range p.ProbedAddresses {
			keys = append(keys, IncidentKey(p.IP, a, p.FirstSeen))
		}
		return uniqueSorted(keys)
	}
	for _, e := range p.Events {
		keys = append(keys, probeKeys(p.IP, e)...)
	}
	return uniqueSorted(keys)
}

// BatchKeys are the dedupe keys of every incident in a batch.
func BatchKeys(b Batch) []string {
	var keys []string
	for _, p := range b.Probers {
		keys = append(keys, proberKeys(p)...)
	}
	return uniqueSorted(keys)
}

// uniqueSorted sorts ss in place and drops repeats.
func uniqueSorted(ss []string) []string {
	slices.Sort(ss)
	return slices.Compact(ss)
}

// pruneProber keeps the probes with at least one incident not in sent and
// recomputes the prober's summary from them; ok is false when nothing new
// is left.
func pruneProber(p evidence.Prober, sent map[string]bool) (evidence.Prober, bool) {
	if len(p.Events) == 0 {
		for _, k := range proberKeys(p) {
			if !sent[k] {
				return p, true
			}
		}
		return p, false
	}
	var keep []evidence.Probe
	for _, e := range p.Events {
		for _, k := range probeKeys(p.IP, e) {
			if !sent[k] {
				keep = append(keep, e)
				break
			}
		}
	}
	if len(keep) == 0 {
		return p, false
	}
	if len(keep) == len(p.Events) {
		return p, true
	}
	return summarise(p, keep), true
}

// summarise rebuilds the counts and spans of p for a subset of its probes.
func summarise(p evidence.Prober, events []evidence.Probe) evidence.Prober {
	p.Events = events
	// Only the kept probes are counted: the ones the scan left out of its
	// sample (Omitted) had no keys, so nothing says whether they are new.
	p.Probes, p.Omitted, p.AddressesTruncated = len(events), 0, false
	p.FirstSeen, p.LastSeen = events[0].Time, events[0].Time
	addrs, domains, kinds := map[string]bool{}, map[string]bool{}, map[string]bool{}
	p.Confidence = 0
	for _, e := range events {
		if e.Time.Before(p.FirstSeen) {
			p.FirstSeen = e.Time
		}
		if e.Time.After(p.LastSeen) {
			p.LastSeen = e.Time
		}
		for _, a := range e.Recipients {
			addrs[a] = true
			if i := strings.LastIndexByte(a, '@'); i >= 0 {
				domains[strings.ToLower(a[i+1:])] = true
			}
		}
		if e.Kind != "" {
			kinds[e.Kind] = true
		}
		p.Confidence = max(p.Confidence, e.Confidence)
	}
	p.ProbedAddresses, p.ProbedDomains, p.Kinds = keys(addrs), keys(domains), keys(kinds)
	return p
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// restrictCampaign keeps the parts of the campaign that explain these
// probers: forged senders they asked about, and links to them.
func restrictCampaign(c evidence.Campaign, probers []evidence.Prober) evidence.Campaign {
	ips, addrs, spans := map[string]bool{}, map[string]bool{}, map[string]evidence.Span{}
	for _, p := range probers {
		ips[p.IP] = true
		spans[p.IP] = evidence.Span{First: p.FirstSeen, Last: p.LastSeen}
		for _, a := range p.ProbedAddresses {
			addrs[strings.ToLower(a)] = true
		}
	}
	var out evidence.Campaign
	for _, f := range c.ForgedSenders {
		if addrs[strings.ToLower(f.Address)] {
			out.ForgedSenders = append(out.ForgedSenders, f)
		}
	}
	for _, f := range c.Backscatter {
		if addrs[strings.ToLower(f.Address)] {
			out.Backscatter = append(out.Backscatter, f)
		}
	}
	for _, l := range c.Links {
		if linkReported(l, ips, addrs, spans) {
			out.Links = append(out.Links, l)
		}
	}
	return out
}

// matchDomain is evidence.Link.Match for an Exim random probe tied by time
// alone to a forged address of the same domain (evidence/campaign.go).
const matchDomain = "domain"

// linkReported: a link belongs in a notice about these probers when its
// prober is one of them and its probe is one the notice reports. The
// probe of an address link asked for the forged address itself; a random
// probe (a domain link) asked for no forged address, so it is known by
// its time, inside its prober's reported span.
func linkReported(l evidence.Link, ips, addrs map[string]bool, spans map[string]evidence.Span) bool {
	if !ips[l.ProberIP] {
		return false
	}
	if l.Match != matchDomain {
		return addrs[strings.ToLower(l.Address)]
	}
	s := spans[l.ProberIP]
	return !l.ProbedAt.Before(s.First) && !l.ProbedAt.After(s.Last)
}
