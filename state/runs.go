package state

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// Run summarises one scheduled check.
type Run struct {
	ID       int64     `json:"id"`
	Source   string    `json:"source"` // watch, serve
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Targets  int       `json:"targets"`
	Checks   int       `json:"checks"`
	// Verdicts counts the results of the run by verdict.
	Verdicts map[dnsbl.Verdict]int `json:"verdicts"`
	Changes  int                   `json:"changes"`
}

// Observation is what one run saw for one (target, list).
type Observation struct {
	Target  string        // the address or domain looked up
	List    string        // the list's short name
	Zone    string        // redacted zone
	Verdict dnsbl.Verdict // only listed / not_listed move intervals
	Codes   []string
	TXT     []string
	Delist  string
}

// Record is everything one run writes, committed in one transaction.
type Record struct {
	Run          Run
	Observations []Observation
	// Tracks are the flap-suppression rows that changed in this run.
	Tracks []Track
	// Changes are the confirmed changes the run reported.
	Changes []Change
	// Alerts are owed for this run's changes, one per channel; they are
	// queued in the same transaction (see DueAlerts).
	Alerts []Alert
	// Unmonitored are the tracks of this run's source whose target or
	// list is no longer checked: their tracks are dropped and their open
	// intervals closed as "unmonitored", so that a target added again
	// later is reported as new, not "listed since" the old date.
	Unmonitored []TrackKey
	// MaxGap: an open interval last seen longer ago than this is closed
	// as unmonitored at its last sighting before this run extends it, so
	// that one interval never spans a stretch nobody checked (0: never).
	MaxGap time.Duration
}

// RecordRun writes a run, its observations, tracks and changes atomically
// and returns the run's ID. Call it while holding the run lock.
func (db *DB) RecordRun(ctx context.Context, rec Record) (int64, error) {
	var id int64
	err := db.WriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = insertRun(ctx, tx, rec); err != nil {
			return err
		}
		if err := closeUnmonitored(ctx, tx, rec.Unmonitored); err != nil {
			return err
		}
		if err := recordIntervals(ctx, tx, id, rec.Run.Finished, rec.Observations, rec.MaxGap); err != nil {
			return err
		}
		if err := upsertTracks(ctx, tx, id, rec.Run.Source, rec.Tracks); err != nil {
			return err
		}
		if err := insertChanges(ctx, tx, id, rec.Changes); err != nil {
			return err
		}
		return insertAlerts(ctx, tx, id, rec.Run.Finished, rec.Alerts)
	})
	if err != nil {
		return 0, fmt.Errorf("state %s: recording run: %w", db.path, err)
	}
	return id, nil
}

func insertRun(ctx context.Context, tx *sql.Tx, rec Record) (int64, error) {
	r := rec.Run
	v := r.Verdicts
	res, err := tx.ExecContext(ctx, `INSERT INTO runs
		(source, started_at, finished_at, targets, checks, listed, not_listed, refused, errors, bogus, unknown, unchecked, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Source, formatTime(r.Started), formatTime(r.Finished), r.Targets, r.Checks,
		v[dnsbl.Listed], v[dnsbl.NotListed], v[dnsbl.Refused], v[dnsbl.Error], v[dnsbl.Bogus], v[dnsbl.Unknown],
		v[dnsbl.Unchecked], len(rec.Changes))
	if err != nil {
		return 0, fmt.Errorf("insert run: %w", err)
	}
	return res.LastInsertId()
}

// Runs returns the latest runs, newest first (limit <= 0: all).
func (db *DB) Runs(ctx context.Context, limit int) ([]Run, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT id, source, started_at, finished_at, targets, checks,
		listed, not_listed, refused, errors, bogus, unknown, unchecked, changes
		FROM runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("state %s: reading runs: %w", db.path, classify(err))
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("state %s: reading runs: %w", db.path, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRun(rows *sql.Rows) (Run, error) {
	var r Run
	var started, finished string
	var l, nl, rf, e, b, u, uc int
	if err := rows.Scan(&r.ID, &r.Source, &started, &finished, &r.Targets, &r.Checks,
		&l, &nl, &rf, &e, &b, &u, &uc, &r.Changes); err != nil {
		return r, err
	}
	r.Verdicts = map[dnsbl.Verdict]int{dnsbl.Listed: l, dnsbl.NotListed: nl, dnsbl.Refused: rf,
		dnsbl.Error: e, dnsbl.Bogus: b, dnsbl.Unknown: u}
	if uc > 0 {
		r.Verdicts[dnsbl.Unchecked] = uc
	}
	var err error
	if r.Started, err = parseTime(started); err != nil {
		return r, err
	}
	r.Finished, err = parseTime(finished)
	return r, err
}

// RunSpan is how many runs are recorded and when the first and the latest
// of them (by ID) finished.
type RunSpan struct {
	Count       int
	First, Last time.Time
}

// RunSpan summarises the runs table without reading every run: a state
// file kept by serve holds one run every few minutes for months.
func (db *DB) RunSpan(ctx context.Context) (RunSpan, error) {
	var s RunSpan
	var first, last sql.NullString
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*),
		(SELECT finished_at FROM runs ORDER BY id LIMIT 1),
		(SELECT finished_at FROM runs ORDER BY id DESC LIMIT 1) FROM runs`).Scan(&s.Count, &first, &last)
	if err != nil {
		return s, fmt.Errorf("state %s: counting runs: %w", db.path, classify(err))
	}
	if s.First, err = parseTime(first.String); err != nil {
		return s, fmt.Errorf("state %s: counting runs: %w", db.path, err)
	}
	if s.Last, err = parseTime(last.String); err != nil {
		return s, fmt.Errorf("state %s: counting runs: %w", db.path, err)
	}
	return s, nil
}
