package demo

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The embedded logs are copies of the evidence fixtures (data/README.md).
func TestLogsAreCopiesOfTheEvidenceFixtures(t *testing.T) {
	for set, dir := range map[string]string{LogsStory: "../../evidence/testdata/demo", LogsNoCallouts: "../../evidence/testdata/demo/nocallouts", LogsBackscatter: "../../evidence/testdata/demo/backscatter"} {
		out := t.TempDir()
		paths, err := WriteLogs(out, set)
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) < 3 && set != LogsBackscatter || len(paths) < 1 {
			t.Errorf("%s: %d files", set, len(paths))
		}
		for _, p := range paths {
			got, _ := os.ReadFile(p)
			want, err := os.ReadFile(filepath.Join(dir, filepath.Base(p)))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s/%s differs from %s (%v): refresh as data/README.md says", set, filepath.Base(p), dir, err)
			}
		}
	}
}
