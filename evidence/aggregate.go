package evidence

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"
)

// aggregator groups probes by prober IP. The same probe read twice — from
// spamd's log and from a spamdb dump, or from two hourly dumps — is merged:
// same IP, sender and recipients within mergeWindow.
type aggregator struct {
	probers map[string]*Prober
	byKey   map[string][]probeRef
}

type probeRef struct {
	ip  string
	idx int
}

const (
	mergeWindow   = 2 * time.Second
	maxMergeLines = 24
)

func newAggregator() *aggregator {
	return &aggregator{probers: map[string]*Prober{}, byKey: map[string][]probeRef{}}
}

func (a *aggregator) add(p Probe) {
	key := p.IP + "\x00" + strings.ToLower(p.Sender) + "\x00" + strings.ToLower(strings.Join(p.Recipients, ","))
	for _, ref := range a.byKey[key] {
		old := &a.probers[ref.ip].Events[ref.idx]
		if d := old.Time.Sub(p.Time); d <= mergeWindow && d >= -mergeWindow {
			mergeProbe(old, p)
			return
		}
	}
	pr := a.probers[p.IP]
	if pr == nil {
		pr = &Prober{IP: p.IP}
		a.probers[p.IP] = pr
	}
	pr.Events = append(pr.Events, p)
	a.byKey[key] = append(a.byKey[key], probeRef{p.IP, len(pr.Events) - 1})
}

// mergeProbe folds a duplicate into old, keeping the stronger reading.
func mergeProbe(old *Probe, p Probe) {
	if old.Helo == "" {
		old.Helo = p.Helo
	}
	if old.Name == "" {
		old.Name = p.Name
	}
	if p.Confidence > old.Confidence {
		old.Kind, old.Reason, old.Confidence = p.Kind, p.Reason, p.Confidence
		old.Epoch, old.SkewSec = p.Epoch, p.SkewSec
	}
	for _, l := range p.Lines {
		if len(old.Lines) >= maxMergeLines {
			break
		}
		old.Lines = append(old.Lines, l)
	}
}

// result returns the probers ranked: most probes first, then highest
// confidence, then IP.
func (a *aggregator) result() []Prober {
	out := make([]Prober, 0, len(a.probers))
	for _, pr := range a.probers {
		out = append(out, finishProber(*pr))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Probes != out[j].Probes {
			return out[i].Probes > out[j].Probes
		}
		if out[i].Confidence != out[j].Confidence {
			return out[i].Confidence > out[j].Confidence
		}
		return out[i].IP < out[j].IP
	})
	return out
}

func finishProber(pr Prober) Prober {
	sort.SliceStable(pr.Events, func(i, j int) bool {
		a, b := &pr.Events[i], &pr.Events[j] // not copies: a Probe is large
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		return firstLineLess(a, b)
	})
	helos, names, kinds, addrs, doms := set{}, set{}, set{}, set{}, set{}
	for _, e := range pr.Events {
		helos.add(e.Helo)
		names.add(e.Name)
		kinds.add(e.Kind)
		for _, r := range e.Recipients {
			addrs.add(r)
			doms.add(domainOf(r))
		}
		pr.Confidence = max(pr.Confidence, e.Confidence)
		slices.SortFunc(e.Lines, lineCompare)
	}
	pr.HeloNames, pr.ReverseNames, pr.Kinds = helos.sorted(), names.sorted(), kinds.sorted()
	pr.ProbedAddresses, pr.ProbedDomains = addrs.sorted(), doms.sorted()
	pr.Probes = len(pr.Events)
	if pr.Probes > 0 {
		pr.FirstSeen, pr.LastSeen = pr.Events[0].Time, pr.Events[pr.Probes-1].Time
	}
	return pr
}

// firstLineLess orders probes of the same time by their first log line;
// a probe without lines comes first.
func firstLineLess(a, b *Probe) bool {
	if len(a.Lines) == 0 || len(b.Lines) == 0 {
		return len(a.Lines) < len(b.Lines)
	}
	return lineLess(a.Lines[0], b.Lines[0])
}

// lineLess orders log lines by file, then line number.
func lineLess(x, y Line) bool { return lineCompare(x, y) < 0 }

func lineCompare(x, y Line) int {
	if c := strings.Compare(x.File, y.File); c != 0 {
		return c
	}
	return cmp.Compare(x.Line, y.Line)
}

// set collects unique non-empty strings.
type set map[string]bool

func (s set) add(v string) {
	if v != "" && v != "unknown" {
		s[v] = true
	}
}

func (s set) sorted() []string { return sortedKeys(s) }
