package state

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// quotaMigrations keep what must outlive one process for the lists'
// sake: their health (so that a repeated check does not ask the test
// points again) and the queries spent per list and day (free-tier daily
// quotas). IDs 500-599 belong to this file and outbox.go.
var quotaMigrations = []migration{
	{ID: 500, Name: "list health and daily query budgets", SQL: `
CREATE TABLE list_health (
	list    TEXT PRIMARY KEY,
	zone    TEXT NOT NULL,   -- key redacted, as shown
	resolver TEXT NOT NULL,  -- the servers that carried the test points
	status  TEXT NOT NULL,
	reason  TEXT NOT NULL,
	checked TEXT NOT NULL
);
CREATE TABLE list_queries (
	list  TEXT NOT NULL,
	day   TEXT NOT NULL,     -- UTC date, YYYY-MM-DD
	spent INTEGER NOT NULL,
	PRIMARY KEY (list, day)
);`},
}

// ListStore is the state file's dnsbl.HealthStore and dnsbl.BudgetStore.
type ListStore struct {
	db  *DB
	ctx context.Context
}

// ListStore returns the list health and budget store kept in db; ctx
// bounds its queries.
func (db *DB) ListStore(ctx context.Context) *ListStore { return &ListStore{db: db, ctx: ctx} }

// LoadHealth implements dnsbl.HealthStore.
func (s *ListStore) LoadHealth() (map[string]dnsbl.HealthRecord, error) {
	rows, err := s.db.sql.QueryContext(s.ctx, `SELECT list, zone, resolver, status, reason, checked FROM list_health`)
	if err != nil {
		return nil, classify(fmt.Errorf("reading list health: %w", err))
	}
	defer rows.Close()
	out := map[string]dnsbl.HealthRecord{}
	for rows.Next() {
		var h dnsbl.Health
		var resolver, status, checked string
		if err := rows.Scan(&h.List, &h.Zone, &resolver, &status, &h.Reason, &checked); err != nil {
			return nil, err
		}
		t, err := parseTime(checked)
		if err != nil {
			continue // a row we cannot date is no evidence: ask again
		}
		h.Status = dnsbl.HealthStatus(status)
		out[h.List] = dnsbl.HealthRecord{Health: h, Resolver: resolver, Checked: t}
	}
	return out, rows.Err()
}

// SaveHealth implements dnsbl.HealthStore.
func (s *ListStore) SaveHealth(fresh []dnsbl.HealthRecord) error {
	return s.db.WriteTx(s.ctx, func(tx *sql.Tx) error {
		for _, r := range fresh {
			_, err := tx.ExecContext(s.ctx, `INSERT INTO list_health (list, zone, resolver, status, reason, checked) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (list) DO UPDATE SET zone = excluded.zone, resolver = excluded.resolver, status = excluded.status,
	reason = excluded.reason, checked = excluded.checked`,
				r.Health.List, r.Health.Zone, r.Resolver, string(r.Health.Status), r.Health.Reason, formatTime(r.Checked))
			if err != nil {
				return fmt.Errorf("saving list health: %w", err)
			}
		}
		return nil
	})
}

// day is the UTC date a daily quota counts in.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// SpentToday implements dnsbl.BudgetStore: the queries recorded for
// list on at's UTC day.
func (s *ListStore) SpentToday(list string, at time.Time) (int64, error) {
	var n int64
	err := s.db.sql.QueryRowContext(s.ctx, `SELECT spent FROM list_queries WHERE list = ? AND day = ?`, list, day(at)).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, classify(fmt.Errorf("reading the queries spent on %s: %w", list, err))
	}
	return n, nil
}

// AddSpent implements dnsbl.BudgetStore: it adds a run's queries per list
// to at's day, in one transaction, and drops days older than a week.
func (s *ListStore) AddSpent(spent map[string]int64, at time.Time) error {
	return s.db.WriteTx(s.ctx, func(tx *sql.Tx) error {
		for list, n := range spent {
			if n <= 0 {
				continue
			}
			_, err := tx.ExecContext(s.ctx, `INSERT INTO list_queries (list, day, spent) VALUES (?, ?, ?)
ON CONFLICT (list, day) DO UPDATE SET spent = spent + excluded.spent`, list, day(at), n)
			if err != nil {
				return fmt.Errorf("recording the queries spent on %s: %w", list, err)
			}
		}
		_, err := tx.ExecContext(s.ctx, `DELETE FROM list_queries WHERE day < ?`, day(at.AddDate(0, 0, -7)))
		return err
	})
}
