package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Sample log sets (data/README.md tells their story).
const (
	LogsStory      = "story"
	LogsNoCallouts = "nocallouts"
	// LogsBackscatter: the MX's own backscatter is the cause (no callouts).
	LogsBackscatter = "backscatter"
)

//go:embed data/story data/nocallouts data/backscatter
var logFS embed.FS

// WriteLogs copies one sample log set into dir and returns the paths, in
// name order, for the evidence scanner.
func WriteLogs(dir, set string) ([]string, error) {
	sub, err := fs.Sub(logFS, "data/"+set)
	if err != nil {
		return nil, fmt.Errorf("demo logs %s: %w", set, err)
	}
	names, err := fs.Glob(sub, "*")
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("demo logs %s: no files", set)
	}
	sort.Strings(names)
	var paths []string
	for _, n := range names {
		data, err := fs.ReadFile(sub, n)
		if err != nil {
			return nil, fmt.Errorf("demo logs %s: %w", set, err)
		}
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, fmt.Errorf("demo logs: %w", err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}
