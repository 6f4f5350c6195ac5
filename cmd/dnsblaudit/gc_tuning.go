package main

import (
	"os"
	"runtime/debug"
)

// A log scan allocates little per line (chunks and events are reused) but
// keeps a report: with the default GOGC=100 the collector ran seven or
// eight times over a 600 MB log, marking that report each time, about
// 5 % of the scan's instructions; GOGC=300 runs it twice there. The 80 MiB
// soft memory limit that used to go with it is gone: the report is now
// bounded by design (counts and samples per host), and peak RSS stays
// the same without it (600 MB log 83–87 MB; callout storm 108 MB, under
// its 150 MB bound). The environment's GOGC wins. Figures: BENCHMARKS.md.
const scanGCPercent = 300

// tuneGCForScan applies that setting unless the user set GOGC, which the
// runtime has already read and which wins.
func tuneGCForScan() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(scanGCPercent)
	}
}
