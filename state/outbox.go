package state

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// outboxMigrations: alerts are delivered at least once. A run records the
// alerts it owes in the same transaction as its changes; each is marked
// delivered only once its channel accepted it, and a later run retries
// the others. Before, the run was committed first and an alert lost to a
// failed hook or an SMTP 421 was never sent again. Also here: intervals
// closed because their target or list left the configuration, tracks
// scoped to the source (watch, serve) that keeps them, and the count of
// unchecked lookups (a list that does not answer the address's family).
var outboxMigrations = []migration{
	{ID: 501, Name: "alert outbox, unmonitored intervals, track sources", SQL: `
CREATE TABLE alert_outbox (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	run_id       INTEGER NOT NULL REFERENCES runs(id),
	channel      TEXT    NOT NULL,   -- mail, exec
	payload      BLOB    NOT NULL,   -- the run's report as JSON (watch.Report)
	created      TEXT    NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt TEXT    NOT NULL,
	delivered    TEXT,               -- NULL until the channel accepted it
	last_error   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX alert_outbox_pending ON alert_outbox(next_attempt) WHERE delivered IS NULL;
ALTER TABLE intervals ADD COLUMN closed_as TEXT NOT NULL DEFAULT '';
ALTER TABLE tracks ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN unchecked INTEGER NOT NULL DEFAULT 0;`},
}

// Alert is one alert owed to one channel: what a delivery needs. The
// row's times and last error are for a reader of the state file.
type Alert struct {
	ID       int64
	RunID    int64
	Channel  string
	Payload  []byte
	Attempts int
}

func insertAlerts(ctx context.Context, tx *sql.Tx, runID int64, at time.Time, alerts []Alert) error {
	for _, a := range alerts {
		_, err := tx.ExecContext(ctx, `INSERT INTO alert_outbox (run_id, channel, payload, created, next_attempt)
			VALUES (?, ?, ?, ?, ?)`, runID, a.Channel, a.Payload, formatTime(at), formatTime(at))
		if err != nil {
			return fmt.Errorf("queueing the %s alert: %w", a.Channel, err)
		}
	}
	return nil
}

// DueAlerts returns the undelivered alerts whose next attempt is due at
// now, oldest first.
func (db *DB) DueAlerts(ctx context.Context, now time.Time) ([]Alert, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, run_id, channel, payload, attempts
		FROM alert_outbox WHERE delivered IS NULL AND next_attempt <= ? ORDER BY id`, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("state %s: reading the alert outbox: %w", db.path, classify(err))
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
		if err := rows.Scan(&a.ID, &a.RunID, &a.Channel, &a.Payload, &a.Attempts); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PendingAlerts counts the alerts not delivered yet.
func (db *DB) PendingAlerts(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM alert_outbox WHERE delivered IS NULL`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("state %s: counting the alert outbox: %w", db.path, classify(err))
	}
	return n, nil
}

// MarkDelivered records that id's channel accepted it. The commit is made
// with synchronous=FULL: under the usual NORMAL a power cut may lose the
// last commit, and a lost "delivered" would send the alert again, which
// is the lesser harm, but a mail sent twice to a person is still a bug.
func (db *DB) MarkDelivered(ctx context.Context, id int64, at time.Time) error {
	return db.fullSync(ctx, `UPDATE alert_outbox SET delivered = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`,
		formatTime(at), id)
}

// MarkFailed records a failed attempt and when to try again.
func (db *DB) MarkFailed(ctx context.Context, id int64, next time.Time, why string) error {
	_, err := db.sql.ExecContext(ctx, `UPDATE alert_outbox SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE id = ?`,
		formatTime(next), why, id)
	if err != nil {
		return fmt.Errorf("state %s: recording a failed alert: %w", db.path, classify(err))
	}
	return nil
}

// fullSync runs one statement in its own transaction on one connection
// switched to synchronous=FULL, and switches it back.
func (db *DB) fullSync(ctx context.Context, query string, args ...any) error {
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return classify(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous=FULL"); err != nil {
		return classify(fmt.Errorf("synchronous=FULL: %w", err))
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous=NORMAL")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return classify(err)
	}
	if _, err := tx.ExecContext(ctx, query, args...); err != nil {
		tx.Rollback()
		return classify(fmt.Errorf("state %s: %w", db.path, err))
	}
	return classify(tx.Commit())
}

// ClaimAlert takes id for sending until lease, if it is still due at now:
// two processes on one state file never send the same alert at once.
func (db *DB) ClaimAlert(ctx context.Context, id int64, now, lease time.Time) (bool, error) {
	res, err := db.sql.ExecContext(ctx, `UPDATE alert_outbox SET next_attempt = ?
		WHERE id = ? AND delivered IS NULL AND next_attempt <= ?`, formatTime(lease), id, formatTime(now))
	if err != nil {
		return false, fmt.Errorf("state %s: claiming an alert: %w", db.path, classify(err))
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
