package investigate

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The reports of the story case are byte-stable: the clock is injected
// and nothing depends on map order or the machine.
func TestGoldenReports(t *testing.T) {
	c, _ := storyCase(14)
	dir := t.TempDir()
	if err := WriteDir(context.Background(), dir, c, fakeNotices{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{CaseFile, MarkdownFile, HTMLFile} {
		t.Run(name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "story."+name)
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (go test -update rewrites it after a deliberate change)", name, golden)
			}
		})
	}
}
