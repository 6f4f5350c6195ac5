package dnsbl

import (
	"sync"
	"time"

	"github.com/miekg/dns"
)

// Cache TTL bounds, as Postfix clamps cached DNSBL answers (postscreen
// dnsbl_min_ttl / dnsbl_max_ttl: 60 s to 1 h).
const (
	minCacheTTL     = 60 * time.Second
	maxCacheTTL     = time.Hour
	maxCacheEntries = 1 << 18
)

// answerCache keeps NOERROR and NXDOMAIN answers for their TTL. Negative
// answers live for the SOA minimum (RFC 2308 §5), both clamped.
type answerCache struct {
	mu      sync.Mutex
	entries map[cacheKey]cacheEntry
	now     func() time.Time
}

type cacheEntry struct {
	msg     *dns.Msg
	expires time.Time
}

func newAnswerCache(now func() time.Time) *answerCache {
	return &answerCache{entries: make(map[cacheKey]cacheEntry), now: now}
}

// cacheKey identifies an answer: the same name asked of another resolver
// may get another answer (a public resolver is refused, a local one not).
type cacheKey struct {
	name   string
	qtype  uint16
	server string
}

func (c *answerCache) get(key cacheKey) (*dns.Msg, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	if !c.now().Before(e.expires) {
		delete(c.entries, key)
		return nil, false
	}
	return e.msg, true
}

func (c *answerCache) put(key cacheKey, m *dns.Msg) {
	if c == nil || (m.Rcode != dns.RcodeSuccess && m.Rcode != dns.RcodeNameError) || m.Truncated {
		return
	}
	ttl := answerTTL(m)
	// Keep only what the callers read: most entries are NXDOMAIN, whose
	// SOA would otherwise double the cache's size. The message is the
	// lookup's own, fresh from the wire, so it is trimmed in place.
	m.Ns, m.Extra = nil, nil
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCacheEntries {
		c.sweep(now)
	}
	c.entries[key] = cacheEntry{msg: m, expires: now.Add(ttl)}
}

// sweep drops expired entries, and everything if that was not enough: a
// cache is an optimisation, never a reason to grow without bound.
func (c *answerCache) sweep(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, k)
		}
	}
	if len(c.entries) >= maxCacheEntries {
		c.entries = make(map[cacheKey]cacheEntry)
	}
}

// answerTTL is the smallest TTL of the answer records, or for an answer
// without records the negative-caching TTL from the SOA (RFC 2308 §5:
// min(SOA TTL, SOA MINIMUM)), clamped to [minCacheTTL, maxCacheTTL].
func answerTTL(m *dns.Msg) time.Duration {
	var ttl uint32
	found := false
	for _, rr := range m.Answer {
		if !found || rr.Header().Ttl < ttl {
			ttl, found = rr.Header().Ttl, true
		}
	}
	if !found {
		for _, rr := range m.Ns {
			if soa, ok := rr.(*dns.SOA); ok {
				ttl, found = min(soa.Hdr.Ttl, soa.Minttl), true
				break
			}
		}
	}
	d := time.Duration(ttl) * time.Second
	return min(max(d, minCacheTTL), maxCacheTTL)
}
