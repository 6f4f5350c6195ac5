package state

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"time"
)

// Change is a confirmed change that a run reported.
type Change struct {
	RunID   int64     `json:"run_id"`
	At      time.Time `json:"at"`
	Subject string    `json:"subject"`
	Target  string    `json:"target,omitempty"`
	List    string    `json:"list"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Detail  string    `json:"detail,omitempty"`
}

func insertChanges(ctx context.Context, tx *sql.Tx, runID int64, cs []Change) error {
	for _, c := range cs {
		_, err := tx.ExecContext(ctx, `INSERT INTO changes (run_id, at, subject, target, list, from_state, to_state, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			runID, formatTime(c.At), c.Subject, c.Target, c.List, c.From, c.To, textsafe.Cut(c.Detail, maxTXTLen))
		if err != nil {
			return fmt.Errorf("change %s %s %s: %w", c.Subject, c.Target, c.List, err)
		}
	}
	return nil
}

// Changes returns the reported changes, oldest first; target "" selects
// all, otherwise the target's changes plus list-health changes.
func (db *DB) Changes(ctx context.Context, target string) ([]Change, error) {
	q := `SELECT run_id, at, subject, target, list, from_state, to_state, detail FROM changes`
	var args []any
	if target != "" {
		q += ` WHERE target = ? OR subject = ?`
		args = append(args, target, SubjectHealth)
	}
	rows, err := db.sql.QueryContext(ctx, q+` ORDER BY at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("state %s: reading changes: %w", db.path, classify(err))
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at string
		if err := rows.Scan(&c.RunID, &at, &c.Subject, &c.Target, &c.List, &c.From, &c.To, &c.Detail); err != nil {
			return nil, fmt.Errorf("state %s: reading changes: %w", db.path, err)
		}
		if c.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("state %s: reading changes: %w", db.path, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
