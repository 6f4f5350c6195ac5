package state

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpenFile: whatever bytes sit at the state path, Open either accepts
// them (an empty file or a valid database of ours) or refuses with an
// error and leaves the file byte for byte as it was. Nothing panics.
func FuzzOpenFile(f *testing.F) {
	dir := f.TempDir()
	valid := filepath.Join(dir, "valid.db")
	db, err := Open(context.Background(), valid, Options{})
	if err != nil {
		f.Fatal(err)
	}
	db.Close()
	seed, _ := os.ReadFile(valid)
	f.Add(seed)
	f.Add([]byte(sqliteMagic))
	f.Add(append([]byte(sqliteMagic), make([]byte, 200)...))
	f.Add([]byte("not a database\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "state.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := Open(context.Background(), path, Options{})
		if err == nil {
			db.Close()
			return
		}
		after, _ := os.ReadFile(path)
		if !bytes.Equal(after, data) {
			t.Fatalf("refused file modified (%v)", err)
		}
	})
}
