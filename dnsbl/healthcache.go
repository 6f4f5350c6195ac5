package dnsbl

import (
	"sync"
	"time"
)

// DefaultHealthTTL is how long a list's test point verdict is trusted.
// RFC 5782 §5 asks users to check test points, not to check them before
// every lookup: a list's health changes over days (a domain expiring, a
// zone emptied), and re-asking the test points on every run tripled the
// queries of a one-address Nagios check (42 against check_rbl's 10 for 10
// lists). Postfix clamps cached DNSBL answers to at most an hour too.
const DefaultHealthTTL = time.Hour

// healthErrorTTLDivisor: a health "error" (test points unanswered) is
// kept for a twelfth of the TTL (5 minutes of an hour), so a list that
// recovers is trusted again soon, while a list that times out does not
// cost every run (and every /probe) its timeouts again. A remembered
// health older than that is also asked again when the list answers
// "listed" (recheckListing).
const healthErrorTTLDivisor = 12

// HealthRecord is a list's health and when its test points were asked.
type HealthRecord struct {
	Health Health
	// Resolver is the list's resolver when it was checked: a list that
	// refuses a public resolver is healthy through another.
	Resolver string
	Checked  time.Time
}

// HealthStore keeps list health between processes (the state file), so
// that a repeated `check` spends only its own lookups. Load returns the
// records by list name; Save is given this run's fresh ones.
type HealthStore interface {
	LoadHealth() (map[string]HealthRecord, error)
	SaveHealth(fresh []HealthRecord) error
}

// WithHealthStore keeps list health in s between processes.
func WithHealthStore(s HealthStore) Option { return func(o *options) { o.healthStore = s } }

// healthCache holds the last health of each list in this process.
type healthCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	records map[string]HealthRecord
}

func newHealthCache(ttl time.Duration) *healthCache {
	return &healthCache{ttl: ttl, records: map[string]HealthRecord{}}
}

// get returns l's health if it is still fresh at now. The zone and the
// resolver must match: a configuration change is a new list.
func (hc *healthCache) get(l *list, resolver string, now time.Time) (Health, bool) {
	if hc == nil || hc.ttl <= 0 {
		return Health{}, false
	}
	hc.mu.Lock()
	rec, ok := hc.records[l.def.Name]
	hc.mu.Unlock()
	if !ok || rec.Health.Zone != l.shown || rec.Resolver != resolver {
		return Health{}, false
	}
	ttl := hc.ttl
	if rec.Health.Status == HealthError {
		ttl /= healthErrorTTLDivisor
	}
	age := now.Sub(rec.Checked)
	if age < 0 || age >= ttl {
		return Health{}, false
	}
	return rec.Health, true
}

func (hc *healthCache) put(rec HealthRecord) {
	if hc == nil || hc.ttl <= 0 {
		return
	}
	hc.mu.Lock()
	hc.records[rec.Health.List] = rec
	hc.mu.Unlock()
}

// load adds stored records (kept unless this process has a newer one).
func (hc *healthCache) load(recs map[string]HealthRecord) {
	if hc == nil {
		return
	}
	hc.mu.Lock()
	defer hc.mu.Unlock()
	for name, r := range recs {
		if cur, ok := hc.records[name]; !ok || r.Checked.After(cur.Checked) {
			hc.records[name] = r
		}
	}
}

// age is how long ago l's remembered health was asked.
func (hc *healthCache) age(l *list, now time.Time) time.Duration {
	if hc == nil {
		return 0
	}
	hc.mu.Lock()
	defer hc.mu.Unlock()
	return now.Sub(hc.records[l.def.Name].Checked)
}
