package evidence

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestInputFilesInScanOrder: a second pass over the logs (the outbound
// side) reads them in the scan's order, oldest rotation first, each once,
// without standard input.
func TestInputFilesInScanOrder(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"maillog", "maillog.1", "maillog.2.gz", "maillog.10.gz"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	glob := filepath.Join(dir, "maillog*")
	got := InputFiles([]string{"-", glob, filepath.Join(dir, "maillog"), filepath.Join(dir, "nothing*")})
	var want []string
	for _, n := range []string{"maillog.10.gz", "maillog.2.gz", "maillog.1", "maillog"} {
		want = append(want, filepath.Join(dir, n))
	}
	if !slices.Equal(got, want) {
		t.Errorf("InputFiles = %q, want %q", got, want)
	}
}
