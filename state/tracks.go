package state

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Subjects of tracks and changes.
const (
	SubjectListing = "listing" // a target on a list
	SubjectHealth  = "health"  // a list's own health (Target is "")
)

// TrackKey identifies a tracked subject.
type TrackKey struct {
	Subject string
	Target  string
	List    string
}

// Track is the flap-suppression memory for one subject: the definite state
// the latest runs observed, for how many consecutive runs, the confirmed
// state that was last reported, and since when the verdicts have been
// indefinite (zero when the last run was definite).
type Track struct {
	TrackKey
	Observed      string
	Streak        int
	ObservedSince time.Time
	Confirmed     string
	ConfirmedAt   time.Time
	UnknownSince  time.Time
	// StaleAlerted: "verdict unknown for too long" was reported for the
	// current unknown streak.
	StaleAlerted bool
	// Source is the run source (watch, serve) that last wrote the track;
	// "" for tracks written before sources were kept.
	Source string
}

// Tracks loads every track.
func (db *DB) Tracks(ctx context.Context) (map[TrackKey]Track, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT subject, target, list, observed, streak,
		observed_since, confirmed, confirmed_at, unknown_since, stale_alerted, source FROM tracks`)
	if err != nil {
		return nil, fmt.Errorf("state %s: reading tracks: %w", db.path, classify(err))
	}
	defer rows.Close()
	out := map[TrackKey]Track{}
	for rows.Next() {
		t, err := scanTrack(rows)
		if err != nil {
			return nil, fmt.Errorf("state %s: reading tracks: %w", db.path, err)
		}
		out[t.TrackKey] = t
	}
	return out, rows.Err()
}

func scanTrack(rows *sql.Rows) (Track, error) {
	var t Track
	var since, at, unknown string
	if err := rows.Scan(&t.Subject, &t.Target, &t.List, &t.Observed, &t.Streak, &since, &t.Confirmed, &at,
		&unknown, &t.StaleAlerted, &t.Source); err != nil {
		return t, err
	}
	var err error
	if t.ObservedSince, err = parseTime(since); err != nil {
		return t, err
	}
	if t.UnknownSince, err = parseTime(unknown); err != nil {
		return t, err
	}
	t.ConfirmedAt, err = parseTime(at)
	return t, err
}

func upsertTracks(ctx context.Context, tx *sql.Tx, runID int64, source string, ts []Track) error {
	if len(ts) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO tracks
		(subject, target, list, observed, streak, observed_since, confirmed, confirmed_at, unknown_since, stale_alerted, last_run, source)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (subject, target, list) DO UPDATE SET observed = excluded.observed,
		streak = excluded.streak, observed_since = excluded.observed_since,
		confirmed = excluded.confirmed, confirmed_at = excluded.confirmed_at, unknown_since = excluded.unknown_since, stale_alerted = excluded.stale_alerted, last_run = excluded.last_run, source = excluded.source`)
	if err != nil {
		return fmt.Errorf("tracks: %w", err)
	}
	defer stmt.Close()
	for _, t := range ts {
		if _, err := stmt.ExecContext(ctx, t.Subject, t.Target, t.List, t.Observed, t.Streak,
			formatTime(t.ObservedSince), t.Confirmed, formatTime(t.ConfirmedAt), formatTime(t.UnknownSince), t.StaleAlerted, runID, source); err != nil {
			return fmt.Errorf("track %s %s %s: %w", t.Subject, t.Target, t.List, err)
		}
	}
	return nil
}

// closeUnmonitored drops the tracks of subjects no longer checked and
// closes their open intervals as "unmonitored" at their last sighting.
func closeUnmonitored(ctx context.Context, tx *sql.Tx, keys []TrackKey) error {
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `DELETE FROM tracks WHERE subject = ? AND target = ? AND list = ?`, k.Subject, k.Target, k.List); err != nil {
			return fmt.Errorf("dropping track %s %s %s: %w", k.Subject, k.Target, k.List, err)
		}
		if k.Subject != SubjectListing {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE intervals SET cleared_at = last_seen, closed_as = 'unmonitored'
			WHERE target = ? AND list = ? AND cleared_at IS NULL`, k.Target, k.List); err != nil {
			return fmt.Errorf("closing the interval of %s on %s: %w", k.Target, k.List, err)
		}
	}
	return nil
}
