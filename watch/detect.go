package watch

import (
	"cmp"
	"slices"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// Observed states of a track.
const (
	stateListed    = "listed"
	stateNotListed = "not_listed"
	stateHealthy   = "healthy"
	stateUnhealthy = "unhealthy"
	stateUnknown   = "unknown"
)

// detection is the outcome of comparing one run with the tracks.
type detection struct {
	changes []Change
	// tracks are the rows that changed and must be written.
	tracks []state.Track
	// unmonitored are the tracks of subjects this run no longer checks.
	unmonitored []state.TrackKey
}

// detector compares a run's outcome with the stored tracks.
type detector struct {
	confirm      int
	unknownAfter time.Duration
	now          time.Time
	prev         map[state.TrackKey]state.Track
	// unhealthy lists this run: their unknown verdicts are explained by
	// the list's own alert and are not reported one target at a time.
	unhealthy map[string]bool
	out       detection
}

// detect is pure: the same tracks and outcome give the same changes.
// source scopes the tracks that a missing subject makes unmonitored: a
// serve and a watch on one state file may check different targets.
func detect(cfg Config, prev map[state.TrackKey]state.Track, out Outcome, now time.Time, source string) detection {
	d := &detector{confirm: cfg.ConfirmRuns, unknownAfter: cfg.UnknownAfter, now: now, prev: prev, unhealthy: map[string]bool{}}
	if d.confirm < 1 {
		d.confirm = 1
	}
	for _, h := range out.Health {
		d.health(h)
	}
	seen := map[state.TrackKey]bool{}
	for _, r := range out.Results {
		if r.Verdict == dnsbl.Unchecked {
			continue // not asked: no track, neither clean nor unknown
		}
		key := state.TrackKey{Subject: state.SubjectListing, Target: TargetKey(r), List: r.List}
		if seen[key] { // the same address reached through two configured targets
			continue
		}
		seen[key] = true
		d.listing(key, r)
	}
	for _, h := range out.Health {
		seen[state.TrackKey{Subject: state.SubjectHealth, List: h.List}] = true
	}
	d.out.unmonitored = unmonitored(prev, seen, source)
	return d.out
}

// unmonitored lists the tracks of source (or of no recorded source) that
// this run did not see: a target or list taken out of the configuration,
// or an address family no list answers any more. Their tracks are dropped
// and their listings closed, so that a target added again is news again.
func unmonitored(prev map[state.TrackKey]state.Track, seen map[state.TrackKey]bool, source string) []state.TrackKey {
	var out []state.TrackKey
	for k, t := range prev {
		if !seen[k] && (t.Source == source || t.Source == "") {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b state.TrackKey) int {
		return cmp.Or(cmp.Compare(a.Subject, b.Subject), cmp.Compare(a.Target, b.Target), cmp.Compare(a.List, b.List))
	})
	return out
}

// TargetKey is the address or domain a result is about: what history is
// keyed by, so that a CIDR's addresses each have their own timeline.
func TargetKey(r dnsbl.Result) string {
	if r.Query != "" {
		return r.Query
	}
	return r.Target
}

// listingState maps a verdict to what it says about the listing; refused,
// error, bogus and unknown say nothing.
func listingState(v dnsbl.Verdict) string {
	switch v {
	case dnsbl.Listed:
		return stateListed
	case dnsbl.NotListed:
		return stateNotListed
	}
	return stateUnknown
}

func (d *detector) health(h ListHealth) {
	st := stateHealthy
	if !h.Healthy {
		st = stateUnhealthy
		d.unhealthy[h.List] = true
	}
	key := state.TrackKey{Subject: state.SubjectHealth, List: h.List}
	t, from, news := d.advance(key, st, stateHealthy)
	if !news {
		return
	}
	kind := Healthy
	if st == stateUnhealthy {
		kind = Unhealthy
	}
	d.out.changes = append(d.out.changes, Change{Kind: kind, List: h.List, Zone: h.Zone, From: from, To: st,
		Since: t.ObservedSince, At: d.now, Runs: t.Streak, Reason: h.Reason})
}

func (d *detector) listing(key state.TrackKey, r dnsbl.Result) {
	st := listingState(r.Verdict)
	if st == stateUnknown {
		d.unknown(key, r)
		return
	}
	t, from, news := d.advance(key, st, stateNotListed)
	if !news {
		return
	}
	kind := Listed
	if st == stateNotListed {
		kind = Delisted
	}
	d.out.changes = append(d.out.changes, d.listingChange(kind, r, from, st, t))
}

// advance steps a track, keeps it if it changed, and reports whether the
// run confirmed a new state worth a change: a track first confirmed in
// its quiet state (a list healthy, a target not listed) is not news.
func (d *detector) advance(key state.TrackKey, st, quiet string) (t state.Track, from string, news bool) {
	t, from, confirmed, changed := d.step(key, st)
	d.keep(t, changed)
	return t, from, confirmed && (from != "" || st != quiet)
}

// step advances a track with a definite observation. It reports the
// confirmed state before, whether this run confirmed a new state, and
// whether the row changed at all (stable rows are not rewritten).
func (d *detector) step(key state.TrackKey, st string) (t state.Track, from string, confirmed, changed bool) {
	t, ok := d.prev[key]
	before := t
	if !ok {
		t = state.Track{TrackKey: key}
	}
	t.UnknownSince, t.StaleAlerted = time.Time{}, false
	switch {
	case t.Observed != st:
		t.Observed, t.Streak, t.ObservedSince = st, 1, d.now
	case t.Streak < d.confirm:
		t.Streak++ // capped: a long-stable track needs no write
	}
	from = t.Confirmed
	if t.Confirmed != st && t.Streak >= d.confirm {
		t.Confirmed, t.ConfirmedAt = st, d.now
		confirmed = true
	}
	return t, from, confirmed, !ok || !sameTrack(before, t)
}

// unknown times an indefinite verdict and reports it once when it has
// lasted unknownAfter, unless the list itself is unhealthy.
func (d *detector) unknown(key state.TrackKey, r dnsbl.Result) {
	t, ok := d.prev[key]
	before := t
	if !ok {
		t = state.Track{TrackKey: key}
	}
	if t.UnknownSince.IsZero() {
		t.UnknownSince, t.StaleAlerted = d.now, false
	}
	if !t.StaleAlerted && !d.unhealthy[r.List] && d.now.Sub(t.UnknownSince) >= d.unknownAfter {
		t.StaleAlerted = true
		c := d.listingChange(Unknown, r, t.Confirmed, stateUnknown, t)
		c.Since = t.UnknownSince
		c.Runs = 0
		d.out.changes = append(d.out.changes, c)
	}
	d.keep(t, !ok || !sameTrack(before, t))
}

func (d *detector) listingChange(kind ChangeKind, r dnsbl.Result, from, to string, t state.Track) Change {
	c := Change{Kind: kind, Target: TargetKey(r), List: r.List, Zone: r.Zone, From: from, To: to,
		Since: t.ObservedSince, At: d.now, Runs: t.Streak, Verdict: r.Verdict,
		Codes: r.Codes, Meanings: r.Meanings, Severity: r.Severity, TXT: r.TXT, Reason: r.Reason, Delist: r.Delist}
	if r.Target != c.Target {
		c.Asked = r.Target
	}
	return c
}

func (d *detector) keep(t state.Track, changed bool) {
	if changed {
		d.out.tracks = append(d.out.tracks, t)
	}
}

// sameTrack compares tracks by value (time.Time needs Equal).
func sameTrack(a, b state.Track) bool {
	return a.TrackKey == b.TrackKey && a.Observed == b.Observed && a.Streak == b.Streak &&
		a.ObservedSince.Equal(b.ObservedSince) && a.Confirmed == b.Confirmed &&
		a.ConfirmedAt.Equal(b.ConfirmedAt) && a.UnknownSince.Equal(b.UnknownSince) &&
		a.StaleAlerted == b.StaleAlerted
}
