package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// applicationID marks a SQLite file as ours (PRAGMA application_id, stored
// in the database header at offset 68; https://www.sqlite.org/fileformat.html).
// "DBLA" in ASCII.
const applicationID = 0x44424C41

// DefaultBusyTimeout is how long a statement waits for another process's
// write transaction before failing with "database is locked".
const DefaultBusyTimeout = 10 * time.Second

// Options tune Open. The zero value is fine.
type Options struct {
	// BusyTimeout: see DefaultBusyTimeout (used when zero).
	BusyTimeout time.Duration
	// MustExist refuses to create a new file (for read-only commands such as
	// history, where a typo in --state should not create an empty database).
	MustExist bool
	// Now is the clock used for recorded times (time.Now when nil).
	Now func() time.Time
}

// DB is an open state database. It is safe for concurrent use.
type DB struct {
	sql  *sql.DB
	path string
	now  func() time.Time
}

// Open opens the state database at path, creating it (and its directory)
// when missing, checks that it is ours, switches it to WAL and applies any
// pending migrations. A foreign or damaged file is refused, never modified.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", path, err)
	}
	if err := prepareFile(abs, opt.MustExist); err != nil {
		return nil, fmt.Errorf("state %s: %w", abs, err)
	}
	sdb, err := sql.Open("sqlite", dsn(abs, opt.BusyTimeout))
	if err != nil {
		return nil, fmt.Errorf("state %s: %w", abs, err)
	}
	db := &DB{sql: sdb, path: abs, now: opt.Now}
	if db.now == nil {
		db.now = time.Now
	}
	if err := db.init(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("state %s: %w", abs, err)
	}
	return db, nil
}

// init runs the identity check before anything that writes.
func (db *DB) init(ctx context.Context) error {
	if err := db.checkIdentity(ctx); err != nil {
		return err
	}
	if err := db.checkIntegrity(ctx); err != nil {
		return err
	}
	// WAL: readers (history, serve scrapes) never block the writer, and a
	// killed writer leaves only an uncommitted tail that SQLite discards.
	if _, err := db.sql.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {
		return classify(fmt.Errorf("enabling WAL: %w", err))
	}
	return db.migrate(ctx, allMigrations())
}

// dsn builds a file: URI (so paths with '?' or '#' survive) with the
// per-connection settings. journal_mode is deliberately not here: it
// writes to the file, and must wait until the file is known to be ours.
func dsn(abs string, busy time.Duration) string {
	if busy <= 0 {
		busy = DefaultBusyTimeout
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)") // durable enough in WAL: a crash loses at most the last commit, never consistency
	q.Set("_txlock", "immediate")           // writers take the write lock at BEGIN: no deadlocking upgrades
	return "file:" + (&url.URL{Path: abs}).EscapedPath() + "?" + q.Encode()
}

// Path is the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// SQL exposes the connection pool to the packages that own tables here
// (WHOIS cache, sent notices). Write through WriteTx.
func (db *DB) SQL() *sql.DB { return db.sql }

// Now is the database's clock.
func (db *DB) Now() time.Time { return db.now() }

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// WriteTx runs fn in an immediate write transaction and commits it, or
// rolls it back if fn returns an error or panics.
func (db *DB) WriteTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return classify(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return classify(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// classify maps SQLite's "not a database" and "corrupt" result codes to
// the package's named errors, keeping the original for the message.
func classify(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff { // primary code; extended codes carry more bits
	case sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("%w: %w", ErrForeign, err)
	case sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}

// createPrivate creates the directory and an empty database file readable
// by its owner only (it will hold the sent-notices record and contact
// cache); SQLite gives its -wal and -shm files the same mode.
func createPrivate(abs string) error {
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil // another process just created it
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// prepareFile checks an existing file's header without SQLite (so nothing
// can be written to a foreign file), or creates the directory for a new one.
func prepareFile(abs string, mustExist bool) error {
	fi, err := os.Stat(abs)
	if errors.Is(err, os.ErrNotExist) {
		if mustExist {
			return ErrNotExist
		}
		return createPrivate(abs)
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%w: not a regular file", ErrForeign)
	}
	return checkHeader(abs, fi.Size())
}
