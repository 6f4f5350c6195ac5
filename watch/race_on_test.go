//go:build race

package watch

// raceEnabled: the race detector slows SQLite (compiled from C to Go)
// about fiftyfold, so the kill test uses fewer targets under -race.
const raceEnabled = true
