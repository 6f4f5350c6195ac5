package evidence

import (
	"sort"
	"strings"
	"time"
)

// A bounce is retried; a callout is not. Callout results are cached
// (Exim: 2 h negative, 24 h positive; Postfix address_verify: 3 d), while
// a bounce to a refused address is queued and tried again (Postfix
// minimal_backoff_time 300 s, doubling; Exim's default retry rule every
// 15 min for 2 h). So a host that asks for the same address with the null
// sender again, minutes to two hours later, is delivering a bounce
// (backscatter from a forged sender), not probing.
const (
	retryMinGap = 4 * time.Minute
	retryMaxGap = 2 * time.Hour
)

// retriedBounces takes out of the probers the null-sender sessions that
// are retries of one bounce, and returns them. Probers left without
// probes are removed.
func (a *aggregator) retriedBounces() []Probe {
	var out []Probe
	for ip, pr := range a.probers {
		keep := pr.Events[:0]
		retried := retriedIndexes(pr.Events)
		for i, e := range pr.Events {
			if retried[i] {
				out = append(out, e)
			} else {
				keep = append(keep, e)
			}
		}
		pr.Events = keep
		if len(keep) == 0 {
			delete(a.probers, ip)
		}
	}
	return out
}

// retriedIndexes marks the null-sender events whose recipients are asked
// again by the same host within [retryMinGap, retryMaxGap].
func retriedIndexes(evs []Probe) map[int]bool {
	byRcpt := map[string][]int{}
	for i, e := range evs {
		if e.Kind != ProbeNullSender || len(e.Recipients) == 0 {
			continue
		}
		k := strings.ToLower(strings.Join(e.Recipients, ","))
		byRcpt[k] = append(byRcpt[k], i)
	}
	marked := map[int]bool{}
	for _, idx := range byRcpt {
		if len(idx) < 2 {
			continue
		}
		sort.Slice(idx, func(x, y int) bool { return evs[idx[x]].Time.Before(evs[idx[y]].Time) })
		if !hasRetryGap(evs, idx) {
			continue
		}
		// Every attempt belongs to the bounce, including tries of the
		// other MX a few minutes apart (an MTA walks the MX list).
		for _, i := range idx {
			marked[i] = true
		}
	}
	return marked
}

func hasRetryGap(evs []Probe, idx []int) bool {
	for j := 1; j < len(idx); j++ {
		gap := evs[idx[j]].Time.Sub(evs[idx[j-1]].Time)
		if gap >= retryMinGap && gap <= retryMaxGap {
			return true
		}
	}
	return false
}

// bounceUses records retried bounces as backscatter to own addresses.
func (c *campaign) bounceUses(bounces []Probe) {
	for _, p := range bounces {
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
}
