package state

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// migration is one versioned schema change. Pending migrations are applied
// in ID order, together in one write transaction, and recorded by ID in
// schema_migrations, so several packages can own disjoint ID ranges:
//
//	  1- 99  core: runs, results, listing intervals (core.go)
//	100-199  WHOIS/RDAP contact cache (whois.go)
//	200-299  sent notices (notices.go)
//	500-599  list health, daily query budgets, alert outbox (quota.go, outbox.go)
//
// A migration is never edited once released: change the schema with a
// new one.
type migration struct {
	ID   int    // unique across all packages; see the ranges above
	Name string // short description, stored with the ID
	// SQL is executed as one script (several statements are allowed).
	SQL string
	// Up, if set, runs after SQL in the same transaction, for changes
	// that need Go (data rewrites).
	Up func(ctx context.Context, tx *sql.Tx) error
}

// allMigrations is every known migration in ID order.
func allMigrations() []migration {
	all := slices.Concat(coreMigrations, whoisMigrations, noticeMigrations, quotaMigrations, outboxMigrations)
	slices.SortFunc(all, func(a, b migration) int { return a.ID - b.ID })
	return all
}

// checkMigrations refuses duplicate IDs, which would silently skip a
// migration on databases that already applied the other one.
func checkMigrations(ms []migration) error {
	seen := make(map[int]string, len(ms))
	for _, m := range ms {
		if prev, dup := seen[m.ID]; dup {
			return fmt.Errorf("state: migration ID %d used twice (%q and %q): %w", m.ID, prev, m.Name, ErrSchema)
		}
		seen[m.ID] = m.Name
	}
	return nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// migrate applies the pending migrations, all in one write transaction:
// either the whole schema upgrade lands or none of it does.
func (db *DB) migrate(ctx context.Context, ms []migration) error {
	if err := checkMigrations(ms); err != nil {
		return err
	}
	if done, err := db.upToDate(ctx, ms); err != nil || done {
		return err
	}
	return db.WriteTx(ctx, func(tx *sql.Tx) error {
		if err := claim(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
			return fmt.Errorf("creating schema_migrations: %w", err)
		}
		applied, err := appliedIDs(ctx, tx)
		if err != nil {
			return err
		}
		if err := refuseUnknown(applied, ms); err != nil {
			return err
		}
		for _, m := range ms {
			if !applied[m.ID] {
				if err := db.apply(ctx, tx, m); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// upToDate is the read-only fast path taken by every open after the first.
func (db *DB) upToDate(ctx context.Context, ms []migration) (bool, error) {
	id, err := readApplicationID(ctx, db.sql)
	if err != nil || id != applicationID {
		return false, err
	}
	applied, err := appliedIDs(ctx, db.sql)
	if err != nil {
		return false, err
	}
	if err := refuseUnknown(applied, ms); err != nil {
		return false, err
	}
	for _, m := range ms {
		if !applied[m.ID] {
			return false, nil
		}
	}
	return true, nil
}

// claim stamps a new database with our application_id. It re-checks inside
// the write transaction, since another process may have won the race.
func claim(ctx context.Context, tx *sql.Tx) error {
	id, err := readApplicationID(ctx, tx)
	if err != nil || id == applicationID {
		return err
	}
	n, err := countSchemaObjects(ctx, tx)
	if err != nil {
		return err
	}
	if id != 0 || n != 0 {
		return fmt.Errorf("%w: SQLite database of another application (application_id %#x)", ErrForeign, id)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return fmt.Errorf("setting application_id: %w", err)
	}
	return nil
}

type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// appliedIDs reads schema_migrations; a database without it has none.
func appliedIDs(ctx context.Context, q rowsQuerier) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT id FROM schema_migrations")
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return map[int]bool{}, nil
		}
		return nil, classify(fmt.Errorf("reading schema_migrations: %w", err))
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		applied[id] = true
	}
	return applied, rows.Err()
}

// refuseUnknown stops an older binary from writing to a schema it does not
// understand.
func refuseUnknown(applied map[int]bool, ms []migration) error {
	known := make(map[int]bool, len(ms))
	for _, m := range ms {
		known[m.ID] = true
	}
	for id := range applied {
		if !known[id] {
			return fmt.Errorf("%w (unknown migration %d); upgrade dnsblaudit", ErrNewer, id)
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, tx *sql.Tx, m migration) error {
	if m.SQL != "" {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.ID, m.Name, err)
		}
	}
	if m.Up != nil {
		if err := m.Up(ctx, tx); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.ID, m.Name, err)
		}
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)",
		m.ID, m.Name, formatTime(db.now()))
	if err != nil {
		return fmt.Errorf("recording migration %d: %w", m.ID, err)
	}
	return nil
}
