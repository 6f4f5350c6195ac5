package main

import (
	"os"
	"runtime/debug"
)

// A log scan allocates little per line (chunks and events are reused) but
// keeps a growing report: with the default GOGC=100 the collector ran
// seven or eight times over a 600 MB log, marking that report each time,
// about 5 % of the scan's instructions. GOGC=300 under an 80 MiB soft
// limit runs it twice there (-3.5 % instructions; peak RSS 57 -> 58 MB).
// The limit also holds a large report's memory: on a generated 2 GB log
// (48 MB of live report) peak RSS is 93 MB, against 111 MB with GOGC=100
// alone, at the same speed. A report that outgrew the limit would make
// the collector run often (the runtime caps it at half the CPU); the
// environment's GOGC and GOMEMLIMIT then give the choice back.
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
