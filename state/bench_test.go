package state

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// BenchmarkRecordRun records runs of 4096 targets x 10 lists (the check
// benchmark's size): 40,960 observations, 1% listed, every track written.
func BenchmarkRecordRun(b *testing.B) {
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "s.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var obs []Observation
	var tracks []Track
	for i := range 4096 {
		target := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		for l := range 10 {
			v := dnsbl.NotListed
			if i%100 == 0 {
				v = dnsbl.Listed
			}
			list := fmt.Sprintf("list%d", l)
			obs = append(obs, Observation{Target: target, List: list, Zone: list + ".test", Verdict: v, Codes: []string{"127.0.0.2"}})
			tracks = append(tracks, Track{TrackKey: TrackKey{SubjectListing, target, list}, Observed: string(v), Streak: 1})
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		at := time.Unix(int64(i)*3600, 0)
		for j := range tracks {
			tracks[j].Streak = i + 1
		}
		if _, err := db.RecordRun(context.Background(), Record{Run: Run{Source: "bench", Started: at, Finished: at},
			Observations: obs, Tracks: tracks}); err != nil {
			b.Fatal(err)
		}
	}
}
