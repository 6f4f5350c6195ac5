package evidence

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"
)

// The report lists links only for the sampled probes (the first and last
// SampleSize of each prober), but a prober's probes between them link to
// forged uses just as well, and investigate counts linked probes. So every
// convicted probe leaves a linkKey per recipient as it is counted, and the
// end of the scan links all of them with the same functions as the
// listed links (forgedUseFor, domainLinks): exact counts, whatever the
// order of the inputs (a probe in mx2.log may follow a forged use read
// later from mx1.log). A key is 32 bytes without a pointer, against the
// kilobyte a kept probe with its lines costs: 8 MB for the callout
// storm's 250,000 probes, in blocks that are never copied to grow and
// that the collector does not scan.
type linkKey struct {
	asked int64  // when the recipient was asked (Unix ns, noTime: unknown)
	at    int64  // the probe's time (Unix ns), for the buckets
	addr  uint64 // FNV-1a of the lower-case recipient
	dom   uint32 // index of its domain in linkKeys.doms
	host  uint32 // index of the prober in linkKeys.hosts, with the flags below
}

const (
	keyRandom   = 1 << 31 // an Exim random probe: may link by domain
	keyLast     = 1 << 30 // the probe's last recipient
	keyHostMask = keyLast - 1
	keyBlock    = 8192 // keys per block
)

// linkKeys collects the keys of every convicted probe, in the order the
// aggregator counted them: a host's n-th probe is its n-th run of keys
// ending in keyLast (its seq, aggregate.go).
type linkKeys struct {
	blocks [][]linkKey // the keys not spilled (campaign_spill.go)
	sp     spill
	hosts  []string
	hostIx map[string]uint32
	doms   []string
	domIx  map[string]uint32
}

// addrHash is FNV-1a of the lower-case address, lowering ASCII as it goes
// (no copy per probe: the storm has 250,000); other text through
// strings.ToLower, as the forged addresses were.
func addrHash(addr string) uint64 {
	for i := 0; i < len(addr); i++ {
		if addr[i] >= 0x80 {
			addr = strings.ToLower(addr)
			break
		}
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// note records the keys of p; a probe without recipients leaves one that
// links to nothing (empty domain), so that the runs still count the
// host's probes.
func (k *linkKeys) note(p *Probe) {
	if k.hostIx == nil {
		k.hostIx, k.domIx = map[string]uint32{}, map[string]uint32{}
	}
	host := intern(&k.hosts, k.hostIx, p.IP)
	if p.Kind == ProbeEximRandom {
		host |= keyRandom
	}
	rcpts := p.Recipients
	if len(rcpts) == 0 {
		rcpts = []string{""}
	}
	for i, r := range rcpts {
		asked := p.Time
		if i < len(p.asked) && !p.asked[i].IsZero() {
			asked = p.asked[i]
		}
		key := linkKey{asked: unixNano(asked), at: unixNano(p.Time), addr: addrHash(r),
			dom: intern(&k.doms, k.domIx, strings.ToLower(domainOf(r))), host: host}
		if i == len(rcpts)-1 {
			key.host |= keyLast
		}
		if n := len(k.blocks); n == 0 || len(k.blocks[n-1]) == keyBlock {
			k.blocks = append(k.blocks, make([]linkKey, 0, keyBlock))
		}
		last := &k.blocks[len(k.blocks)-1]
		*last = append(*last, key)
		k.maybeSpill()
	}
}

// fromNano is the instant of unixNano's n (a zero time for noTime).
func fromNano(n int64) time.Time {
	if n == noTime {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func intern(names *[]string, ix map[string]uint32, s string) uint32 {
	if i, ok := ix[s]; ok {
		return i
	}
	s = strings.Clone(s)
	ix[s] = uint32(len(*names))
	*names = append(*names, s)
	return ix[s]
}

// OmittedLinks counts the linked probes that the probers' samples leave
// out, by time bucket: with the sampled probes' links (Campaign.Links)
// they make every linked probe.
type OmittedLinks struct {
	Probes        int         `json:"probes"`
	BucketSeconds int         `json:"bucket_seconds"`
	Buckets       []TimeCount `json:"buckets"`
}

// TimeCount is how many probes came in [Start, Start+bucket_seconds).
type TimeCount struct {
	Start time.Time `json:"start"`
	Count int       `json:"count"`
}

// maxLinkBuckets bounds OmittedLinks.Buckets: past it the buckets double
// in width (a minute at first), so a year of linked probes stays a few
// hundred kilobytes of JSON.
const maxLinkBuckets = 10000

// linkTally is what linkCounts finds.
type linkTally struct {
	perHost map[string]int // linked probes by prober IP
	perAddr map[string]int // probes that asked for a forged address itself, linked, by address
	omitted OmittedLinks   // the linked probes outside the samples
}

// linkCounts links every key: how many probes of each host link, how
// many asked for each forged address in time, and the linked probes
// outside the samples by minute. sampled tells whether a host's seq-th
// probe is in its sample. The error says the spilled keys could not be
// read back: the counts are short.
func (c *campaign) linkCounts(k *linkKeys, window time.Duration, sampled func(ip string, seq int) bool, loc *time.Location) (linkTally, error) {
	byHash := map[uint64]string{}
	byDomain := map[string][]string{}
	for addr := range c.forged {
		byHash[addrHash(addr)] = addr
		d := domainOf(addr)
		byDomain[d] = append(byDomain[d], addr)
	}
	t := linkTally{perHost: map[string]int{}, perAddr: map[string]int{}}
	minutes := map[int64]int{}
	if len(byHash) == 0 {
		t.omitted = bucketed(minutes, loc)
		return t, nil
	}
	merged := map[string][]forgedUse{} // by domain, made as random probes need them
	seq := make([]int, len(k.hosts))
	var doms, addrs []string // of the probe's keys so far
	err := k.each(func(key linkKey) {
		dom := k.doms[key.dom]
		if addr, ok := byHash[key.addr]; ok && dom != "" && !slices.Contains(addrs, addr) {
			if _, ok := c.forgedUseFor(addr, fromNano(key.asked), window); ok {
				addrs = append(addrs, addr)
			}
		}
		doms = append(doms, dom)
		if key.host&keyLast == 0 {
			return
		}
		host := key.host & keyHostMask
		seq[host]++
		linked := len(addrs) > 0
		if !linked && key.host&keyRandom != 0 {
			linked = c.domainLinked(doms, fromNano(key.at), window, byDomain, merged)
		}
		if linked {
			ip := k.hosts[host]
			t.perHost[ip]++
			if !sampled(ip, seq[host]) && key.at != noTime {
				minutes[key.at/int64(time.Minute)]++
			}
		}
		for _, a := range addrs {
			t.perAddr[a]++
		}
		doms, addrs = doms[:0], addrs[:0]
	})
	t.omitted = bucketed(minutes, loc)
	return t, err
}

// domainLinked tells whether a forged address of one of doms was used
// for the probe made at t: whether domainLinks would find one. The uses of
// all the addresses of a domain are merged once (byDomainUses), so that a
// storm of random probes costs a binary search each, not a search per
// forged address of the domain.
func (c *campaign) domainLinked(doms []string, t time.Time, window time.Duration, byDomain map[string][]string, merged map[string][]forgedUse) bool {
	for _, d := range doms {
		uses, ok := merged[d]
		if !ok {
			uses = c.domainUses(byDomain[d])
			merged[d] = uses
		}
		if c.usedFor(uses, t, window) {
			return true
		}
	}
	return false
}

// domainUses merges the uses of addrs, sorted by logged time.
func (c *campaign) domainUses(addrs []string) []forgedUse {
	var out []forgedUse
	for _, a := range addrs {
		out = append(out, c.forged[a].times...)
	}
	slices.SortFunc(out, func(a, b forgedUse) int { return cmp.Compare(a.at, b.at) })
	return out
}

// usedFor tells whether forgedUseFor would find one of uses for a probe
// at t: a use logged within verifyLag after t whose session had begun by
// t (or whose start is unknown), or the latest use logged by t, if it
// lies within window.
func (c *campaign) usedFor(uses []forgedUse, t time.Time, window time.Duration) bool {
	tn := unixNano(t)
	i := sort.Search(len(uses), func(i int) bool { return uses[i].at > tn })
	for j := i; j < len(uses) && c.clock.logged(uses[j]).Sub(t) <= verifyLag; j++ {
		if b := c.clock.begun(uses[j]); b.IsZero() || !b.After(t) {
			return true
		}
	}
	return i > 0 && t.Sub(c.clock.logged(uses[i-1])) <= window
}

// bucketed turns counts by minute into at most maxLinkBuckets buckets.
func bucketed(minutes map[int64]int, loc *time.Location) OmittedLinks {
	width := int64(1)
	for {
		m := map[int64]int{}
		for k, n := range minutes {
			m[k/width*width] += n
		}
		if len(m) <= maxLinkBuckets {
			minutes = m
			break
		}
		width *= 2
	}
	out := OmittedLinks{BucketSeconds: int(width) * 60, Buckets: []TimeCount{}}
	for k, n := range minutes {
		out.Probes += n
		out.Buckets = append(out.Buckets, TimeCount{Start: time.Unix(k*60, 0).In(loc), Count: n})
	}
	slices.SortFunc(out.Buckets, func(a, b TimeCount) int { return cmp.Compare(a.Start.Unix(), b.Start.Unix()) })
	return out
}
