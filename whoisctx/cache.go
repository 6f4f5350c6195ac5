package whoisctx

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Cache stores registry answers so that a thousand probers in one provider's
// prefix cost one registry query. Network answers are keyed by the covering
// prefix (from the registry's network range or Team Cymru), domain answers by
// registrable domain. Values are opaque to the store (JSON from this
// package), so the state package implements Cache without importing
// whoisctx. Implementations must be safe for concurrent use.
type Cache interface {
	// GetPrefix returns the unexpired entry with the longest prefix that
	// contains addr.
	GetPrefix(ctx context.Context, addr netip.Addr, now time.Time) (netip.Prefix, []byte, bool, error)
	PutPrefix(ctx context.Context, prefix netip.Prefix, value []byte, expires time.Time) error
	GetDomain(ctx context.Context, domain string, now time.Time) ([]byte, bool, error)
	PutDomain(ctx context.Context, domain string, value []byte, expires time.Time) error
}

// MemoryCache is the in-process Cache, used when there is no state file.
type MemoryCache struct {
	mu       sync.Mutex
	prefixes map[netip.Prefix]cacheEntry
	domains  map[string]cacheEntry
}

type cacheEntry struct {
	value   []byte
	expires time.Time
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache {
	return &MemoryCache{prefixes: map[netip.Prefix]cacheEntry{}, domains: map[string]cacheEntry{}}
}

// GetPrefix implements Cache: it tries each prefix length from the most
// specific down, so a lookup costs at most 33 (IPv4) or 129 map probes.
func (m *MemoryCache) GetPrefix(_ context.Context, addr netip.Addr, now time.Time) (netip.Prefix, []byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	addr = addr.Unmap()
	for bits := addr.BitLen(); bits >= 0; bits-- {
		p, err := addr.Prefix(bits)
		if err != nil {
			continue
		}
		if e, ok := m.prefixes[p]; ok && now.Before(e.expires) {
			return p, e.value, true, nil
		}
	}
	return netip.Prefix{}, nil, false, nil
}

// PutPrefix implements Cache.
func (m *MemoryCache) PutPrefix(_ context.Context, prefix netip.Prefix, value []byte, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.prefixes[prefix.Masked()] = cacheEntry{value, expires}
	return nil
}

// GetDomain implements Cache.
func (m *MemoryCache) GetDomain(_ context.Context, domain string, now time.Time) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.domains[strings.ToLower(domain)]
	if !ok || !now.Before(e.expires) {
		return nil, false, nil
	}
	return e.value, true, nil
}

// PutDomain implements Cache.
func (m *MemoryCache) PutDomain(_ context.Context, domain string, value []byte, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.domains[strings.ToLower(domain)] = cacheEntry{value, expires}
	return nil
}

// rangePrefix returns the largest CIDR prefix that contains addr and lies
// inside [first, last], the form registries give ranges in
// ("62.239.237.0 - 62.239.237.255"). The cache key must never cover
// addresses outside the registry's range.
func rangePrefix(addr, first, last netip.Addr) (netip.Prefix, bool) {
	addr = addr.Unmap()
	first, last = first.Unmap(), last.Unmap()
	if addr.BitLen() != first.BitLen() || first.BitLen() != last.BitLen() ||
		addr.Less(first) || last.Less(addr) {
		return netip.Prefix{}, false
	}
	for bits := 0; bits <= addr.BitLen(); bits++ {
		p, _ := addr.Prefix(bits)
		if !p.Addr().Less(first) && !lastAddr(p).Less(addr) && !last.Less(lastAddr(p)) {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

// lastAddr is the highest address in p.
func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
