package state

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// clock returns a fixed time that advances by step on every call.
func clock(step time.Duration) func() time.Time {
	t := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(step); return t }
}

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "state.db")
	db, err := Open(context.Background(), path, Options{Now: clock(time.Second)})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func TestOpenCreatesAndReopens(t *testing.T) {
	db, path := openTemp(t)
	var id int64
	if err := db.SQL().QueryRow("PRAGMA application_id").Scan(&id); err != nil || id != applicationID {
		t.Fatalf("application_id = %#x, %v", id, err)
	}
	var mode string
	db.SQL().QueryRow("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	db.Close()
	db2, err := Open(context.Background(), path, Options{MustExist: true})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	db2.Close()
}

func TestOpenMustExist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing.db")
	_, err := Open(context.Background(), path, Options{MustExist: true})
	if !errors.Is(err, ErrNotExist) {
		t.Fatalf("err = %v, want ErrNotExist", err)
	}
	if _, serr := os.Stat(path); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("MustExist created the file")
	}
}

// assertUntouched opens path, expects want, and checks that the file's
// bytes did not change and no WAL/journal side files were created.
func assertUntouched(t *testing.T, path string, want error) {
	t.Helper()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path, Options{})
	if err == nil {
		db.Close()
		t.Fatalf("Open accepted %s", path)
	}
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	t.Logf("refused with: %v", err)
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("refused file was modified")
	}
	for _, side := range []string{"-wal", "-journal"} {
		if fi, err := os.Stat(path + side); err == nil && fi.Size() > 0 {
			t.Errorf("side file %s%s written", path, side)
		}
	}
}

func TestOpenRefusesNonSQLite(t *testing.T) {
	for name, content := range map[string]string{
		"text":  "targets:\n  - 192.0.2.1\n",
		"short": "SQLite",
		"zeros": string(make([]byte, 4096)),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			os.WriteFile(path, []byte(content), 0o600)
			assertUntouched(t, path, ErrForeign)
		})
	}
}

func TestOpenRefusesDirectory(t *testing.T) {
	_, err := Open(context.Background(), t.TempDir(), Options{})
	if !errors.Is(err, ErrForeign) {
		t.Fatalf("err = %v, want ErrForeign", err)
	}
}

func TestOpenRefusesForeignSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER); INSERT INTO accounts VALUES (1, 100)"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	assertUntouched(t, path, ErrForeign)
}

func TestOpenRefusesOtherApplicationID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	other, _ := sql.Open("sqlite", path)
	if _, err := other.Exec("PRAGMA application_id = 1234"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	assertUntouched(t, path, ErrForeign)
}

func TestOpenRefusesCorrupt(t *testing.T) {
	db, path := openTemp(t)
	recordSimple(t, db, "192.0.2.1", dnsbl.Listed)
	db.Close()
	data, err := os.ReadFile(path)
	if err != nil || len(data) < 8192 {
		t.Fatalf("state file %d bytes, %v", len(data), err)
	}
	// Keep the header (page 1) intact so the file still claims to be ours;
	// wreck the b-tree pages after it.
	for i := 4096; i < len(data); i++ {
		data[i] = 0xA5
	}
	os.WriteFile(path, data, 0o600)
	assertUntouched(t, path, ErrCorrupt)
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	db, path := openTemp(t)
	if _, err := db.SQL().Exec("INSERT INTO schema_migrations VALUES (9999, 'from the future', '')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(context.Background(), path, Options{})
	if !errors.Is(err, ErrNewer) {
		t.Fatalf("err = %v, want ErrNewer", err)
	}
}

func TestMigrationsAppliedByIDOnce(t *testing.T) {
	db, _ := openTemp(t)
	extra := append(allMigrations(), migration{ID: 150, Name: "test cache", SQL: "CREATE TABLE t150 (x)"})
	for range 2 {
		if err := db.migrate(context.Background(), extra); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	var n int
	db.SQL().QueryRow("SELECT count(*) FROM schema_migrations WHERE id = 150").Scan(&n)
	if n != 1 {
		t.Errorf("migration 150 recorded %d times", n)
	}
	dup := append(allMigrations(), migration{ID: 1, Name: "clash"})
	if err := db.migrate(context.Background(), dup); !errors.Is(err, ErrSchema) {
		t.Errorf("duplicate ID: err = %v, want ErrSchema", err)
	}
}

func TestFailedMigrationLeavesNothing(t *testing.T) {
	db, _ := openTemp(t)
	bad := append(allMigrations(),
		migration{ID: 201, Name: "ok", SQL: "CREATE TABLE t201 (x)"},
		migration{ID: 202, Name: "broken", SQL: "CREATE TABLE oops ("})
	if err := db.migrate(context.Background(), bad); err == nil {
		t.Fatal("broken migration accepted")
	}
	var n int
	db.SQL().QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 't201'").Scan(&n)
	if n != 0 {
		t.Errorf("partial migration committed")
	}
}

func TestNewFileIsPrivate(t *testing.T) {
	_, path := openTemp(t)
	for _, p := range []string{path, path + "-wal"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s mode %v, want owner-only", p, fi.Mode().Perm())
		}
	}
}
