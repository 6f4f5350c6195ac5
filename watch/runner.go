package watch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/state"
)

// Alerter delivers a run's changes (mail, exec hook). It is called only
// for runs with changes, after they are recorded.
type Alerter interface {
	Alert(ctx context.Context, rep *Report) error
}

// Runner runs checks, detects changes against the state database, records
// the run and alerts.
type Runner struct {
	Config  Config // defaults are applied by NewRunner
	Checker Checker
	DB      *state.DB
	Alerts  []Alerter
	Source  string // recorded with each run: "watch", "serve"
	Now     func() time.Time
}

// ErrAlert wraps failures to deliver alerts; the run itself was recorded.
var ErrAlert = errors.New("alert not delivered")

// NewRunner applies the config defaults.
func NewRunner(cfg Config, ck Checker, db *state.DB, alerts ...Alerter) *Runner {
	return &Runner{Config: cfg.WithDefaults(), Checker: ck, DB: db, Alerts: alerts, Source: "watch",
		Now: time.Now}
}

// Run does one run: lock, check, detect, record (with the alerts it owes,
// in the same transaction), unlock, deliver the due alerts. The lock is
// held from the first query to the commit so that an overlapping run
// neither interleaves nor counts the same change twice; it is released
// before alerting, so a slow mail server or hook never delays the next
// run. Alert failures are returned wrapped in ErrAlert together with the
// (recorded) report; the failed alerts stay queued and later runs retry
// them (see outbox.go).
func (r *Runner) Run(ctx context.Context, targets []string) (*Report, error) {
	rep, err := r.lockedRun(ctx, targets)
	if err != nil {
		return nil, err
	}
	// The run is committed with its alerts queued, so they must go out
	// even when a stop signal arrives now: deliver on a context that
	// outlives the cancellation, bounded by alertGrace.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), alertGrace)
	defer cancel()
	err = r.deliver(actx)
	if n, perr := r.DB.PendingAlerts(actx); perr == nil && n > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%d alert(s) not delivered yet: kept in the state file and retried by later runs", n))
	}
	return rep, err
}

// alertGrace bounds how long a stopping watch still spends delivering the
// alerts of the run it has already recorded.
const alertGrace = time.Minute

func (r *Runner) lockedRun(ctx context.Context, targets []string) (*Report, error) {
	if r.DB == nil {
		return nil, errors.New("watch: no state database")
	}
	lock, err := r.DB.LockRuns(ctx, r.Config.LockWait)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	return r.checkAndRecord(ctx, targets)
}

func (r *Runner) checkAndRecord(ctx context.Context, targets []string) (*Report, error) {
	started := r.Now().UTC()
	out, err := r.Checker.Check(ctx, targets)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	tracks, err := r.DB.Tracks(ctx)
	if err != nil {
		return nil, err
	}
	finished := r.Now().UTC()
	det := detect(r.Config, tracks, out, finished, r.Source)
	rep := newReport(started, finished, out)
	rep.Changes = det.changes
	rec := r.record(rep, det)
	if rec.Alerts, err = r.outboxAlerts(rep); err != nil {
		return nil, err
	}
	rep.RunID, err = r.DB.RecordRun(ctx, rec)
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func (r *Runner) record(rep *Report, det detection) state.Record {
	rec := state.Record{
		Run: state.Run{Source: r.Source, Started: rep.Started, Finished: rep.Finished,
			Targets: rep.Targets, Checks: len(rep.Results), Verdicts: rep.Counts},
		Tracks: det.tracks, Unmonitored: det.unmonitored, MaxGap: r.Config.MaxGap,
	}
	for _, res := range rep.Results {
		rec.Observations = append(rec.Observations, state.Observation{Target: TargetKey(res), List: res.List,
			Zone: res.Zone, Verdict: res.Verdict, Codes: res.Codes, TXT: res.TXT, Delist: res.Delist})
	}
	for _, c := range det.changes {
		rec.Changes = append(rec.Changes, state.Change{At: c.At, Subject: subjectOf(c.Kind), Target: c.Target,
			List: c.List, From: c.From, To: c.To, Detail: c.Reason})
	}
	return rec
}

func subjectOf(k ChangeKind) string {
	if k == Healthy || k == Unhealthy {
		return state.SubjectHealth
	}
	return state.SubjectListing
}

// Loop runs now and then every interval until ctx is cancelled (SIGINT or
// SIGTERM in the command), passing each outcome to done. A failed run is
// reported and the loop goes on: a resolver outage must not end a watch.
// A run in progress at cancellation is abandoned before it commits; one
// that has committed is still alerted and reported.
func (r *Runner) Loop(ctx context.Context, targets []string, every time.Duration, done func(*Report, error)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := r.Run(ctx, targets)
		if rep != nil || ctx.Err() == nil {
			done(rep, err) // a recorded run is reported even when stopping
		}
		if ctx.Err() != nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
