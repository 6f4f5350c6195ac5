package evidence

import (
	"cmp"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"
)

// Bounds of what a report keeps per host: counts are exact, samples are
// not, so that a callout storm of a million sessions makes a report of a
// few hundred kilobytes and a scan of bounded memory.
const (
	// SampleSize is how many probes a prober keeps at each end of its
	// list (the first and the last seen).
	SampleSize = 5
	// MaxSuspects bounds the suspects list (most sessions first).
	MaxSuspects   = 1000
	suspectSample = 1  // probes a suspect keeps at each end
	maxNames      = 32 // HELO and reverse names kept per host
	maxAddresses  = 100
	maxProbeLines = 24 // log lines kept per sampled probe
	mergeWindow   = 2 * time.Second
	// ownEvery is how many probes are counted between two passes that
	// give the probes still in the rings of the latest copies of their
	// own (ownRings). A ring probe points into the batch of lines it was
	// read in (probeOf): without the passes a host that stops probing
	// would keep its batch (up to a read buffer, 256 KiB) to the end,
	// and many such hosts as many batches. With them only the batches of
	// about the last ownEvery probes are held; a pass copies at most one
	// ring's worth per host, in a callout storm a few percent of its
	// probes.
	ownEvery = 1 << 14
)

// hostAgg is one host's probes (or suspect sessions): exact counts, the
// first and the last few probes.
type hostAgg struct {
	pr      Prober
	first   []Probe
	last    []Probe // ring of the latest, next is the oldest slot when full
	next    int
	seq     int // probes added
	helos   boundedSet
	names   boundedSet
	kinds   boundedSet
	addrs   boundedSet
	domains boundedSet
	why     map[string]int
}

// aggregator groups probes by host. The same probe read twice — from
// spamd's log and from a spamdb dump, from two hourly dumps, or from two
// copies of a log — is counted once: same IP, sender and recipients
// within mergeWindow.
type aggregator struct {
	probers  map[string]*hostAgg
	suspects map[string]*hostAgg
	seen     map[uint64]dupRef // the latest probe by a hash of its key (duplicate)
	copies   bool              // several inputs: one may repeat another's lines
	keys     linkKeys          // every convicted probe's link keys (campaign_counts.go)
	counted  int               // probes counted since the last ownRings
}

type dupRef struct {
	at  time.Time
	seq int
	agg *hostAgg
}

// firstLineHash hashes the text of p's first log line without its file.
func firstLineHash(p Probe) uint64 {
	if len(p.Lines) == 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(p.Lines[0].Raw))
	return h.Sum64()
}

func newAggregator() *aggregator {
	return &aggregator{probers: map[string]*hostAgg{}, suspects: map[string]*hostAgg{}, seen: map[uint64]dupRef{}}
}

// add counts a convicted probe.
func (a *aggregator) add(p Probe) {
	if a.addTo(a.probers, p, SampleSize) > 0 {
		a.keys.note(&p)
	}
}

// isSampled tells whether the seq-th probe of prober ip is in its sample.
func (a *aggregator) isSampled(ip string, seq int) bool {
	h := a.probers[ip]
	return h != nil && h.sampled(seq) != nil
}

// addSuspect counts a session that fits a callout but is not accused.
func (a *aggregator) addSuspect(p Probe) { a.addTo(a.suspects, p, suspectSample) }

// addTo counts p and returns its number among its host's probes, or 0
// when it repeated one already counted.
func (a *aggregator) addTo(m map[string]*hostAgg, p Probe, sample int) int {
	if len(p.Lines) > maxProbeLines {
		p.Lines = p.Lines[:maxProbeLines]
	}
	h := m[p.IP]
	if h == nil {
		ip := strings.Clone(p.IP) // p's is part of its batch of lines (probeOf)
		h = &hostAgg{pr: Prober{IP: ip}, why: map[string]int{}}
		m[ip] = h
	}
	if a.duplicate(h, p) {
		return 0
	}
	if a.counted++; a.counted == ownEvery {
		a.ownRings()
	}
	h.seq++
	h.note(p)
	p.seq = h.seq
	// The first probes are kept for good: they get copies of their own
	// at once. A probe in the ring of the latest is most likely pushed
	// out by a later one, so it keeps pointing into its batch of lines
	// and gets its copies only if it is still there at the end (finish).
	switch {
	case len(h.first) < sample:
		p.own()
		h.first = append(h.first, p)
	case len(h.last) < sample:
		h.last = append(h.last, p)
	default:
		h.last[h.next] = p
		h.next = (h.next + 1) % sample
	}
	return h.seq
}

// ownRings gives every probe in a ring of the latest copies of its own
// (ownEvery).
func (a *aggregator) ownRings() {
	a.counted = 0
	for _, m := range []map[string]*hostAgg{a.probers, a.suspects} {
		for _, h := range m {
			for i := range h.last {
				h.last[i].own()
			}
		}
	}
}

// duplicate merges a probe that repeats one already seen: the same
// session read twice — spamd's line and a spamdb dump, two hourly dumps
// (same IP, sender and recipients within mergeWindow), or the same line in
// two copies of a log (same first line). Two sessions of one host a
// second apart are two probes. Only a hash is kept per probe.
func (a *aggregator) duplicate(h *hostAgg, p Probe) bool {
	var key uint64
	switch {
	case p.Format == string(FormatSpamd) || p.Format == string(FormatSpamdb):
		hash := fnv.New64a()
		hash.Write([]byte(p.IP + "\x00" + strings.ToLower(p.Sender) + "\x00" + strings.ToLower(strings.Join(p.Recipients, ","))))
		key = hash.Sum64()
	case a.copies:
		key = firstLineHash(p)
	default:
		return false // one input cannot hold a copy of itself
	}
	if ref, ok := a.seen[key]; ok && ref.agg == h {
		if d := ref.at.Sub(p.Time); d <= mergeWindow && d >= -mergeWindow {
			if old := h.sampled(ref.seq); old != nil {
				mergeProbe(old, p)
			}
			return true
		}
	}
	a.seen[key] = dupRef{at: p.Time, seq: h.seq + 1, agg: h}
	return false
}

// sampled returns the kept probe with sequence number seq, or nil.
func (h *hostAgg) sampled(seq int) *Probe {
	for _, l := range [][]Probe{h.first, h.last} {
		for i := range l {
			if l[i].seq == seq {
				return &l[i]
			}
		}
	}
	return nil
}

// note counts p into the host's totals.
func (h *hostAgg) note(p Probe) {
	pr := &h.pr
	pr.Probes++
	if pr.FirstSeen.IsZero() || p.Time.Before(pr.FirstSeen) {
		pr.FirstSeen = p.Time
	}
	if p.Time.After(pr.LastSeen) {
		pr.LastSeen = p.Time
	}
	if p.Confidence > pr.Confidence || pr.Rule == "" {
		pr.Confidence = max(pr.Confidence, p.Confidence)
		pr.Rule = p.Kind
	}
	h.helos.add(p.Helo, maxNames)
	h.names.add(p.Name, maxNames)
	h.kinds.add(p.Kind, maxNames)
	for _, r := range p.Recipients {
		if pr.AddressesTruncated && len(h.domains) >= maxAddresses {
			break // both lists are full: nothing more to look up
		}
		// Once truncated the list is full for good: looking r up in it
		// would change nothing.
		if !pr.AddressesTruncated && !h.addrs.add(r, maxAddresses) {
			pr.AddressesTruncated = true
		}
		h.domains.add(domainOf(r), maxAddresses)
	}
	if p.NotAccused != "" {
		h.why[p.NotAccused]++
	}
}

// mergeProbe folds a duplicate into old, keeping the stronger reading.
func mergeProbe(old *Probe, p Probe) {
	p.own() // its reason and lines may go into the kept probe
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
		if len(old.Lines) >= maxProbeLines {
			break
		}
		old.Lines = append(old.Lines, l)
	}
}

// finish returns the host's report entry.
func (h *hostAgg) finish() Prober {
	pr := h.pr
	for i := range h.last {
		h.last[i].own() // the report holds no batch of lines
	}
	ring := append(slices.Clone(h.last[h.next:]), h.last[:h.next]...)
	pr.Events = append(slices.Clone(h.first), ring...)
	slices.SortStableFunc(pr.Events, func(a, b Probe) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return firstLineCompare(&a, &b)
	})
	for i := range pr.Events {
		slices.SortFunc(pr.Events[i].Lines, lineCompare)
	}
	pr.Omitted = pr.Probes - len(pr.Events)
	pr.HeloNames, pr.ReverseNames, pr.Kinds = h.helos.sorted(), h.names.sorted(), h.kinds.sorted()
	pr.ProbedAddresses, pr.ProbedDomains = h.addrs.sorted(), h.domains.sorted()
	return pr
}

// result returns the probers ranked: most probes first, then highest
// confidence, then IP.
func (a *aggregator) result() []Prober {
	out := make([]Prober, 0, len(a.probers))
	for _, h := range a.probers {
		out = append(out, h.finish())
	}
	slices.SortFunc(out, func(x, y Prober) int {
		if c := cmp.Compare(y.Probes, x.Probes); c != 0 {
			return c
		}
		if c := cmp.Compare(y.Confidence, x.Confidence); c != 0 {
			return c
		}
		return strings.Compare(x.IP, y.IP)
	})
	return out
}

// suspectResult returns at most MaxSuspects suspects, most sessions first,
// and how many were left out.
func (a *aggregator) suspectResult() ([]Suspect, int) {
	hosts := make([]*hostAgg, 0, len(a.suspects))
	for _, h := range a.suspects {
		hosts = append(hosts, h)
	}
	slices.SortFunc(hosts, func(x, y *hostAgg) int {
		if c := cmp.Compare(y.pr.Probes, x.pr.Probes); c != 0 {
			return c
		}
		return strings.Compare(x.pr.IP, y.pr.IP)
	})
	omitted := max(0, len(hosts)-MaxSuspects)
	hosts = hosts[:len(hosts)-omitted]
	out := make([]Suspect, 0, len(hosts))
	for _, h := range hosts {
		s := Suspect{Prober: h.finish(), NotAccused: h.why}
		s.Rule, s.Confidence = "", 0
		s.Explanation = whyText[commonest(h.why)]
		out = append(out, s)
	}
	return out, omitted
}

// commonest returns the key with the highest count (the first by name on
// a tie).
func commonest(m map[string]int) string {
	best, n := "", -1
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] > n {
			best, n = k, m[k]
		}
	}
	return best
}

// firstLineCompare orders probes of the same time by their first log
// line; a probe without lines comes first.
func firstLineCompare(a, b *Probe) int {
	if len(a.Lines) == 0 || len(b.Lines) == 0 {
		return cmp.Compare(len(a.Lines), len(b.Lines))
	}
	return lineCompare(a.Lines[0], b.Lines[0])
}

// lineCompare orders log lines by file, then line number.
func lineCompare(x, y Line) int {
	if c := strings.Compare(x.File, y.File); c != 0 {
		return c
	}
	return cmp.Compare(x.Line, y.Line)
}

// boundedSet collects up to a limit of unique non-empty strings.
type boundedSet map[string]bool

// add reports false when v was new but the set was full.
func (s *boundedSet) add(v string, limit int) bool {
	if v == "" || v == "unknown" || (*s)[v] {
		return true
	}
	if len(*s) >= limit {
		return false
	}
	if *s == nil {
		*s = boundedSet{}
	}
	(*s)[strings.Clone(v)] = true // not to keep the whole probe's lines for it
	return true
}

func (s boundedSet) sorted() []string { return sortedKeys(s) }
