package state

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
)

// sqliteMagic opens every SQLite 3 database file
// (https://www.sqlite.org/fileformat.html, section 1.3).
const sqliteMagic = "SQLite format 3\x00"

// checkHeader refuses a file that is not SQLite before the driver touches
// it. An empty file is accepted: SQLite treats it as a new database.
func checkHeader(abs string, size int64) error {
	if size == 0 {
		return nil
	}
	f, err := os.Open(abs)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || string(head) != sqliteMagic {
		return fmt.Errorf("%w: not an SQLite file (refusing to touch it; move it away or choose another --state)", ErrForeign)
	}
	return nil
}

// checkIdentity accepts our application_id, or a brand-new empty database;
// any other SQLite database belongs to someone else.
func (db *DB) checkIdentity(ctx context.Context) error {
	id, err := readApplicationID(ctx, db.sql)
	if err != nil {
		return err
	}
	if id == applicationID {
		return nil
	}
	n, err := countSchemaObjects(ctx, db.sql)
	if err != nil {
		return err
	}
	if id == 0 && n == 0 {
		return nil // new database: migrate claims it
	}
	return fmt.Errorf("%w: SQLite database of another application (application_id %#x, %d schema objects); refusing to touch it", ErrForeign, id, n)
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readApplicationID(ctx context.Context, q querier) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id); err != nil {
		return 0, classify(fmt.Errorf("reading application_id: %w", err))
	}
	return id, nil
}

func countSchemaObjects(ctx context.Context, q querier) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n); err != nil {
		return 0, classify(fmt.Errorf("reading schema: %w", err))
	}
	return n, nil
}

// checkIntegrity runs PRAGMA quick_check (O(size), no index cross-check):
// a damaged file is refused rather than half-read and then written to.
func (db *DB) checkIntegrity(ctx context.Context) error {
	rows, err := db.sql.QueryContext(ctx, "PRAGMA quick_check(5)")
	if err != nil {
		return classify(fmt.Errorf("integrity check: %w", err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return classify(fmt.Errorf("integrity check: %w", err))
		}
		if s != "ok" && !strings.HasPrefix(s, "*** in database") {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return classify(fmt.Errorf("integrity check: %w", err))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}
