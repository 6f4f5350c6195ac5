package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGCForScanLeavesUserSettings: GOGC in the environment wins over
// the scan's own setting, and no memory limit is set.
func TestTuneGCForScanLeavesUserSettings(t *testing.T) {
	prevPercent, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer func() { debug.SetGCPercent(prevPercent); debug.SetMemoryLimit(prevLimit) }()

	t.Setenv("GOGC", "")
	tuneGCForScan()
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != scanGCPercent || l != prevLimit {
		t.Errorf("unset: GOGC %d, limit %d; want %d and the limit untouched (%d)", p, l, scanGCPercent, prevLimit)
	}

	t.Setenv("GOGC", "50")
	tuneGCForScan()
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("set by the user: GOGC %d changed", p)
	}
}
