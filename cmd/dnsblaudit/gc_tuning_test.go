package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGCForScanLeavesUserSettings: GOGC or GOMEMLIMIT in the
// environment win over the scan's own settings.
func TestTuneGCForScanLeavesUserSettings(t *testing.T) {
	prevPercent, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer func() { debug.SetGCPercent(prevPercent); debug.SetMemoryLimit(prevLimit) }()

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGCForScan()
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != scanGCPercent || l != scanMemoryLimit {
		t.Errorf("unset: GOGC %d, limit %d; want %d, %d", p, l, scanGCPercent, scanMemoryLimit)
	}

	t.Setenv("GOGC", "50")
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30)
	tuneGCForScan()
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != 100 || l != 1<<30 {
		t.Errorf("set by the user: GOGC %d, limit %d changed", p, l)
	}
}
