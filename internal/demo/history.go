package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// SeedHistory writes the state database a `dnsblaudit watch` would have
// left: a clean run six hours before the listing, then the run that saw
// callbackrl list the MX. Investigate reads the listing start from it,
// bracketed by the clean run.
func SeedHistory(ctx context.Context, path string, s Story, zones []Zone) error {
	db, err := state.Open(ctx, path, state.Options{Now: func() time.Time { return s.ListingStart }})
	if err != nil {
		return err
	}
	defer db.Close()
	for _, at := range []time.Time{s.ListingStart.Add(-6 * time.Hour), s.ListingStart} {
		obs := observations(s, zones, !at.Before(s.ListingStart))
		rec := state.Record{Run: state.Run{Source: "watch", Started: at.Add(-2 * time.Second), Finished: at,
			Targets: 1, Checks: len(obs), Verdicts: tally(obs)}, Observations: obs, Tracks: tracks(obs, at)}
		if _, err := db.RecordRun(ctx, rec); err != nil {
			return fmt.Errorf("demo history: %w", err)
		}
	}
	return nil
}

// observations are what a run saw for the MX on the healthy IPv4 lists.
func observations(s Story, zones []Zone, listed bool) []state.Observation {
	var out []state.Observation
	for _, z := range zones {
		if z.Behaviour != Healthy || z.List.Kind != dnsbl.KindIPv4 {
			continue
		}
		o := state.Observation{Target: s.MX, List: z.List.Name, Zone: z.List.Zone, Verdict: dnsbl.NotListed, Delist: z.List.Delist}
		if txt, ok := z.Entries[s.MX]; ok && listed {
			o.Verdict, o.Codes, o.TXT = dnsbl.Listed, []string{"127.0.0.2"}, []string{txt}
		}
		out = append(out, o)
	}
	return out
}

// tracks are the flap-suppression rows a watch run leaves: with them the
// history knows the clean run came right before the listing.
func tracks(obs []state.Observation, at time.Time) []state.Track {
	out := make([]state.Track, 0, len(obs))
	for _, o := range obs {
		out = append(out, state.Track{TrackKey: state.TrackKey{Subject: state.SubjectListing, Target: o.Target, List: o.List},
			Observed: string(o.Verdict), Streak: 1, ObservedSince: at})
	}
	return out
}

func tally(obs []state.Observation) map[dnsbl.Verdict]int {
	m := map[dnsbl.Verdict]int{}
	for _, o := range obs {
		m[o.Verdict]++
	}
	return m
}
