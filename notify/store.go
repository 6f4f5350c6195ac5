package notify

import (
	"context"
	"sync"
	"time"
)

// SentRecord is what is remembered of one delivered notice.
type SentRecord struct {
	MessageID string    // without angle brackets
	SentAt    time.Time //
	Desk      string    // the contact the notice was for, lower case
	To        []string  // the envelope recipients
	Template  string
	Subject   string
	Probers   []string // prober IPs it reported
	Keys      []string // incident keys (IncidentKey) it covered
	Transport string   // smtp, sendmail
}

// Store remembers what was sent. state.DB implements it in the state
// database; MemoryStore is for tests and one-off runs.
type Store interface {
	// SentKeys reports which of keys desk has already been sent.
	SentKeys(ctx context.Context, desk string, keys []string) (map[string]bool, error)
	// LastSent is when desk was last sent a notice (zero if never).
	LastSent(ctx context.Context, desk string) (time.Time, error)
	// RecordSent stores one delivered notice and its keys atomically.
	RecordSent(ctx context.Context, r SentRecord) error
}

// MemoryStore is a Store in memory.
type MemoryStore struct {
	mu      sync.Mutex
	Records []SentRecord
}

// SentKeys implements Store.
func (m *MemoryStore) SentKeys(_ context.Context, desk string, keys []string) (map[string]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	out := map[string]bool{}
	for _, r := range m.Records {
		if r.Desk != desk {
			continue
		}
		for _, k := range r.Keys {
			if want[k] {
				out[k] = true
			}
		}
	}
	return out, nil
}

// LastSent implements Store.
func (m *MemoryStore) LastSent(_ context.Context, desk string) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var last time.Time
	for _, r := range m.Records {
		if r.Desk == desk && r.SentAt.After(last) {
			last = r.SentAt
		}
	}
	return last, nil
}

// RecordSent implements Store.
func (m *MemoryStore) RecordSent(_ context.Context, r SentRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Records = append(m.Records, r)
	return nil
}
