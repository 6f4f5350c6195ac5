package watch

import (
	"context"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// alerterFunc adapts a function to Alerter.
type alerterFunc func(ctx context.Context, rep *Report) error

func (f alerterFunc) Alert(ctx context.Context, rep *Report) error { return f(ctx, rep) }

// A stop signal that arrives after a run has committed must not swallow
// its alerts or its report: the changes are already recorded as reported
// and would never be announced again.
func TestStopAfterCommitStillAlertsAndReports(t *testing.T) {
	clock := newTestClock()
	db := openState(t, "", clock.Now)
	listed := CheckerFunc(func(context.Context, []string) (Outcome, error) {
		return Outcome{Results: []dnsbl.Result{{Target: "192.0.2.1", Query: "192.0.2.1", List: "bl", Zone: "bl.test",
			Verdict: dnsbl.Listed, Codes: []string{"127.0.0.2"}}}}, nil
	})
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var alertCtxErr error
	alerted := 0
	// The signal lands between the commit and the alerts.
	alert := alerterFunc(func(actx context.Context, rep *Report) error {
		stop()
		alerted++
		alertCtxErr = actx.Err()
		return nil
	})
	r := NewRunner(Config{ConfirmRuns: 1}, listed, db, alert)
	r.Now = clock.Now
	reported := 0
	err := r.Loop(ctx, []string{"192.0.2.1"}, time.Hour, func(rep *Report, err error) {
		if rep != nil && len(rep.Changes) == 1 {
			reported++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if alerted != 1 || alertCtxErr != nil {
		t.Errorf("alerted %d times, alert context error %v: want once, on a live context", alerted, alertCtxErr)
	}
	if reported != 1 {
		t.Errorf("recorded run reported %d times, want 1", reported)
	}
}
