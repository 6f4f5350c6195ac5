package main

import (
	"os"
	"runtime/debug"
)

// A log scan allocates little per line (chunks and events are reused) but
// keeps a growing report: with the default GOGC=100 the collector ran
// eight times over a 600 MB log, marking that report each time, about
// 5 % of the scan's instructions. GOGC=300 under an 80 MiB soft limit
// runs it twice there (-3.5 % instructions, peak RSS 68 -> 72 MB), and
// the limit holds peak memory under the 100 MB the scan promises better
// than GOGC=100 alone would for a large report (twice the live heap).
// Figures: BENCHMARKS.md.
const (
	scanGCPercent   = 300
	scanMemoryLimit = 80 << 20
)

// tuneGCForScan applies those settings unless the user set GOGC or
// GOMEMLIMIT, which the runtime has already read and which win.
func tuneGCForScan() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(scanGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(scanMemoryLimit)
	}
}
