package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"slices"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// Caps on what an interval keeps: TXT comes from strangers and a list that
// rotates its text every run must not grow a row without bound.
const (
	maxCodes  = 16
	maxTXT    = 8
	maxTXTLen = 512
)

// Interval is one continuous listing of a target on a list.
type Interval struct {
	ID        int64     `json:"-"`
	Target    string    `json:"target"`
	List      string    `json:"list"`
	Zone      string    `json:"zone"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// ClearedAt is the first run that saw the target clean again; zero
	// while it is still listed.
	ClearedAt time.Time `json:"cleared_at"`
	SeenRuns  int       `json:"seen_runs"`
	// ClosedAs is "unmonitored" when the interval ended because its
	// target or list stopped being checked (ClearedAt is then its last
	// sighting), "" when a run saw it clean.
	ClosedAs string   `json:"closed_as,omitempty"`
	Codes    []string `json:"codes"`
	TXT      []string `json:"txt"`
	Delist   string   `json:"delist_url,omitempty"`
}

// MarshalJSON writes cleared_at as null while the listing is current,
// rather than Go's zero time.
func (iv Interval) MarshalJSON() ([]byte, error) {
	type plain Interval
	out := struct {
		plain
		ClearedAt *time.Time `json:"cleared_at"`
	}{plain: plain(iv)}
	if !iv.Open() {
		out.ClearedAt = &iv.ClearedAt
	}
	return json.Marshal(out)
}

// Open reports whether the listing is still current.
func (iv Interval) Open() bool { return iv.ClearedAt.IsZero() }

type listKey struct{ target, list string }

// recordIntervals opens, extends or closes intervals. Verdicts other than
// listed / not_listed say nothing about the listing and change nothing.
//
// An open interval last seen more than maxGap before this run is closed as
// unmonitored at its last sighting, and a listing now starts a new one:
// nobody knows what happened in between.
func recordIntervals(ctx context.Context, tx *sql.Tx, runID int64, at time.Time, obs []Observation, maxGap time.Duration) error {
	open, err := openIntervals(ctx, tx)
	if err != nil {
		return err
	}
	for _, o := range obs {
		iv, isOpen := open[listKey{o.Target, o.List}]
		if isOpen && maxGap > 0 && at.Sub(iv.LastSeen) > maxGap && (o.Verdict == dnsbl.Listed || o.Verdict == dnsbl.NotListed) {
			if _, err := tx.ExecContext(ctx, "UPDATE intervals SET cleared_at = last_seen, closed_as = 'unmonitored' WHERE id = ?", iv.ID); err != nil {
				return fmt.Errorf("interval %s on %s: %w", o.Target, o.List, err)
			}
			isOpen = false
		}
		switch {
		case o.Verdict == dnsbl.Listed && isOpen:
			err = extendInterval(ctx, tx, runID, at, iv, o)
		case o.Verdict == dnsbl.Listed:
			err = insertInterval(ctx, tx, runID, at, o)
		case o.Verdict == dnsbl.NotListed && isOpen:
			_, err = tx.ExecContext(ctx, "UPDATE intervals SET cleared_at = ? WHERE id = ?", formatTime(at), iv.ID)
		}
		if err != nil {
			return fmt.Errorf("interval %s on %s: %w", o.Target, o.List, err)
		}
	}
	return nil
}

// openIntervals loads the current listings; there are few, while a run may
// have tens of thousands of clean observations that need no statement.
func openIntervals(ctx context.Context, tx *sql.Tx) (map[listKey]Interval, error) {
	ivs, err := queryIntervals(ctx, tx, "WHERE cleared_at IS NULL")
	if err != nil {
		return nil, err
	}
	m := make(map[listKey]Interval, len(ivs))
	for _, iv := range ivs {
		m[listKey{iv.Target, iv.List}] = iv
	}
	return m, nil
}

func insertInterval(ctx context.Context, tx *sql.Tx, runID int64, at time.Time, o Observation) error {
	codes, txt := mergeSeen(nil, nil, o)
	clean, err := lastCleanAt(ctx, tx, runID, o.Target, o.List)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO intervals
		(target, list, zone, first_seen, last_seen, first_run, last_run, seen_runs, codes, txt, delist_url, clean_before)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
		o.Target, o.List, o.Zone, formatTime(at), formatTime(at), runID, runID, codes, txt, o.Delist, formatTime(clean))
	return err
}

// lastCleanAt is the latest time before run runID that a run saw target
// clean on list (zero: none did). Two records say so: an earlier
// interval's cleared_at (the run that saw it clean again; not one closed
// as unmonitored, whose cleared_at is when it was last seen listed), and the
// flap-suppression track, read before this run updates it, whose last
// definite observation was not_listed: that was the previous run unless
// verdicts have been indefinite since (unknown_since), and then it was at
// least observed_since.
func lastCleanAt(ctx context.Context, tx *sql.Tx, runID int64, target, list string) (time.Time, error) {
	var cleared, observed, unknownSince, observedSince, prevRun string
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(cleared_at), '') FROM intervals
		WHERE target = ? AND list = ? AND cleared_at IS NOT NULL AND closed_as = ''`, target, list).Scan(&cleared)
	if err != nil {
		return time.Time{}, fmt.Errorf("last clean run: %w", err)
	}
	best, err := parseTime(cleared)
	if err != nil {
		return time.Time{}, err
	}
	err = tx.QueryRowContext(ctx, `SELECT t.observed, t.unknown_since, t.observed_since,
		COALESCE((SELECT finished_at FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1), '')
		FROM tracks t WHERE t.subject = ? AND t.target = ? AND t.list = ?`,
		runID, SubjectListing, target, list).Scan(&observed, &unknownSince, &observedSince, &prevRun)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && observed != string(dnsbl.NotListed)) {
		return best, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last clean run: %w", err)
	}
	at := prevRun
	if unknownSince != "" {
		at = observedSince
	}
	t, err := parseTime(at)
	if err != nil {
		return time.Time{}, err
	}
	if t.After(best) {
		best = t
	}
	return best, nil
}

// LastClean is when a run last saw target clean on list before the
// listing that began at before (investigate.CleanHistory); ok is false
// when no run did, and before is then only when the listing was first
// seen.
func (db *DB) LastClean(ctx context.Context, target, list string, before time.Time) (time.Time, bool, error) {
	var clean string
	err := db.sql.QueryRowContext(ctx, `SELECT clean_before FROM intervals
		WHERE target = ? AND list = ? AND first_seen <= ? ORDER BY first_seen DESC, id DESC LIMIT 1`,
		target, list, formatTime(before)).Scan(&clean)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("state %s: last clean run: %w", db.path, classify(err))
	}
	t, err := parseTime(clean)
	return t, err == nil && !t.IsZero(), err
}

func extendInterval(ctx context.Context, tx *sql.Tx, runID int64, at time.Time, iv Interval, o Observation) error {
	codes, txt := mergeSeen(iv.Codes, iv.TXT, o)
	_, err := tx.ExecContext(ctx, `UPDATE intervals SET last_seen = ?, last_run = ?, seen_runs = seen_runs + 1,
		codes = ?, txt = ?, delist_url = ? WHERE id = ?`,
		formatTime(at), runID, codes, txt, o.Delist, iv.ID)
	return err
}

// mergeSeen adds the observation's codes and TXT to what the interval has
// seen (distinct, first-seen order, capped) and encodes both as JSON.
func mergeSeen(codes, txt []string, o Observation) (string, string) {
	codes = addDistinct(codes, o.Codes, maxCodes)
	clipped := make([]string, 0, len(o.TXT))
	for _, t := range o.TXT {
		clipped = append(clipped, textsafe.Cut(t, maxTXTLen))
	}
	txt = addDistinct(txt, clipped, maxTXT)
	return mustJSON(codes), mustJSON(txt)
}

func addDistinct(have, add []string, limit int) []string {
	for _, s := range add {
		if len(have) >= limit {
			break
		}
		if !slices.Contains(have, s) {
			have = append(have, s)
		}
	}
	return have
}

// mustJSON stores a string list as a JSON array ("[]", never "null").
func mustJSON(ss []string) string {
	if ss == nil {
		ss = []string{}
	}
	b, _ := json.Marshal(ss) // []string always marshals
	return string(b)
}

// IntervalFilter selects intervals; the zero value selects all.
type IntervalFilter struct {
	Target string // exact address or domain
	List   string
}

// Intervals returns the listing intervals matching f, by target, list and
// time.
func (db *DB) Intervals(ctx context.Context, f IntervalFilter) ([]Interval, error) {
	where, args := "WHERE 1=1", []any{}
	if f.Target != "" {
		where, args = where+" AND target = ?", append(args, f.Target)
	}
	if f.List != "" {
		where, args = where+" AND list = ?", append(args, f.List)
	}
	ivs, err := queryIntervals(ctx, db.sql, where, args...)
	if err != nil {
		return nil, fmt.Errorf("state %s: reading intervals: %w", db.path, classify(err))
	}
	return ivs, nil
}

func queryIntervals(ctx context.Context, q rowsQuerier, where string, args ...any) ([]Interval, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, target, list, zone, first_seen, last_seen,
		COALESCE(cleared_at, ''), seen_runs, codes, txt, delist_url, closed_as FROM intervals `+where+
		` ORDER BY target, list, first_seen, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Interval
	for rows.Next() {
		iv, err := scanInterval(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, iv)
	}
	return out, rows.Err()
}

func scanInterval(rows *sql.Rows) (Interval, error) {
	var iv Interval
	var first, last, cleared, codes, txt string
	if err := rows.Scan(&iv.ID, &iv.Target, &iv.List, &iv.Zone, &first, &last, &cleared,
		&iv.SeenRuns, &codes, &txt, &iv.Delist, &iv.ClosedAs); err != nil {
		return iv, err
	}
	var err error
	if iv.FirstSeen, err = parseTime(first); err != nil {
		return iv, err
	}
	if iv.LastSeen, err = parseTime(last); err != nil {
		return iv, err
	}
	if iv.ClearedAt, err = parseTime(cleared); err != nil {
		return iv, err
	}
	if err := json.Unmarshal([]byte(codes), &iv.Codes); err != nil {
		return iv, fmt.Errorf("interval %d codes: %w", iv.ID, err)
	}
	if err := json.Unmarshal([]byte(txt), &iv.TXT); err != nil {
		return iv, fmt.Errorf("interval %d txt: %w", iv.ID, err)
	}
	return iv, nil
}

// ListingStart is when the current listing of target on list began: the
// first_seen of its open interval (investigate.History). ok is false when
// the target is not listed there according to the history.
func (db *DB) ListingStart(ctx context.Context, target, list string) (time.Time, bool, error) {
	var first string
	err := db.sql.QueryRowContext(ctx, `SELECT first_seen FROM intervals
		WHERE target = ? AND list = ? AND cleared_at IS NULL`, target, list).Scan(&first)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("state %s: listing start: %w", db.path, classify(err))
	}
	t, err := parseTime(first)
	return t, err == nil, err
}
