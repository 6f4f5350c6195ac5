package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/notify"
)

// noticeMigrations create the sent-notices record (what was sent to whom,
// for dedupe). IDs 200-299 belong to this file.
var noticeMigrations = []migration{
	{ID: 200, Name: "sent notices and their incident keys", SQL: noticesSchemaV1},
}

// A notice is one row of notices_sent; each incident it told a desk about
// (notify.IncidentKey: prober IP, probed address, day) is a row of
// notice_incidents, so "was this desk told about this?" is one index probe.
const noticesSchemaV1 = `
CREATE TABLE notices_sent (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	message_id TEXT    NOT NULL UNIQUE,     -- without angle brackets
	sent_at    TEXT    NOT NULL,
	desk       TEXT    NOT NULL,            -- contact address, lower case
	recipients TEXT    NOT NULL,            -- JSON array, the envelope recipients
	template   TEXT    NOT NULL,
	subject    TEXT    NOT NULL,
	probers    TEXT    NOT NULL,            -- JSON array of prober IPs
	transport  TEXT    NOT NULL             -- smtp, sendmail
);
CREATE INDEX notices_sent_by_desk ON notices_sent(desk, sent_at);

CREATE TABLE notice_incidents (
	desk      TEXT    NOT NULL,
	key       TEXT    NOT NULL,
	notice_id INTEGER NOT NULL REFERENCES notices_sent(id),
	PRIMARY KEY (desk, key)
) WITHOUT ROWID;
`

// The state database is notify's Store.
var _ notify.Store = (*DB)(nil)

// noticeKeysPerQuery keeps IN lists well under SQLite's variable limit.
const noticeKeysPerQuery = 500

// SentKeys reports which of keys desk was already sent (notify.Store).
func (db *DB) SentKeys(ctx context.Context, desk string, keys []string) (map[string]bool, error) {
	out := make(map[string]bool)
	for start := 0; start < len(keys); start += noticeKeysPerQuery {
		chunk := keys[start:min(start+noticeKeysPerQuery, len(keys))]
		if err := db.sentKeysChunk(ctx, desk, chunk, out); err != nil {
			return nil, fmt.Errorf("state %s: reading sent notices: %w", db.path, classify(err))
		}
	}
	return out, nil
}

func (db *DB) sentKeysChunk(ctx context.Context, desk string, keys []string, out map[string]bool) error {
	args := make([]any, 0, len(keys)+1)
	args = append(args, desk)
	for _, k := range keys {
		args = append(args, k)
	}
	q := `SELECT key FROM notice_incidents WHERE desk = ? AND key IN (?` + strings.Repeat(",?", len(keys)-1) + `)`
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return err
		}
		out[k] = true
	}
	return rows.Err()
}

// LastSent is when desk was last sent a notice, zero if never (notify.Store).
func (db *DB) LastSent(ctx context.Context, desk string) (time.Time, error) {
	var last sql.NullString
	err := db.sql.QueryRowContext(ctx, `SELECT MAX(sent_at) FROM notices_sent WHERE desk = ?`, desk).Scan(&last)
	if err != nil {
		return time.Time{}, fmt.Errorf("state %s: reading sent notices: %w", db.path, classify(err))
	}
	if !last.Valid {
		return time.Time{}, nil
	}
	t, err := parseTime(last.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("state %s: notices_sent.sent_at %q: %w", db.path, last.String, err)
	}
	return t, nil
}

// RecordSent stores a delivered notice and its incident keys in one
// transaction (notify.Store): either the whole record lands or none of it.
func (db *DB) RecordSent(ctx context.Context, r notify.SentRecord) error {
	to, probers := mustJSON(r.To), mustJSON(r.Probers)
	err := db.WriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO notices_sent
			(message_id, sent_at, desk, recipients, template, subject, probers, transport)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.MessageID, formatTime(r.SentAt), r.Desk, to, r.Template, r.Subject, probers, r.Transport)
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for _, k := range r.Keys {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO notice_incidents (desk, key, notice_id) VALUES (?, ?, ?)`, r.Desk, k, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("state %s: recording notice %s: %w", db.path, r.MessageID, classify(err))
	}
	return nil
}

// SentNotices lists the notices sent, oldest first; desk "" selects all.
// Keys are not returned (they can be many); Probers are.
func (db *DB) SentNotices(ctx context.Context, desk string) ([]notify.SentRecord, error) {
	q := `SELECT message_id, sent_at, desk, recipients, template, subject, probers, transport FROM notices_sent`
	var args []any
	if desk != "" {
		q += ` WHERE desk = ?`
		args = append(args, desk)
	}
	rows, err := db.sql.QueryContext(ctx, q+` ORDER BY sent_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("state %s: reading sent notices: %w", db.path, classify(err))
	}
	defer rows.Close()
	var out []notify.SentRecord
	for rows.Next() {
		r, err := scanNotice(rows)
		if err != nil {
			return nil, fmt.Errorf("state %s: reading sent notices: %w", db.path, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanNotice(rows *sql.Rows) (notify.SentRecord, error) {
	var r notify.SentRecord
	var at, to, probers string
	if err := rows.Scan(&r.MessageID, &at, &r.Desk, &to, &r.Template, &r.Subject, &probers, &r.Transport); err != nil {
		return r, err
	}
	var err error
	if r.SentAt, err = parseTime(at); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(to), &r.To); err != nil {
		return r, fmt.Errorf("recipients of %s: %w", r.MessageID, err)
	}
	if err := json.Unmarshal([]byte(probers), &r.Probers); err != nil {
		return r, fmt.Errorf("probers of %s: %w", r.MessageID, err)
	}
	return r, nil
}
