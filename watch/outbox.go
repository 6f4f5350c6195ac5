package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/state"
)

// Alert delivery is at least once: a run queues one alert per channel in
// the transaction that records its changes (state's alert outbox), then
// delivers every due alert; one is marked delivered only when its channel
// accepted it, and a failed one is retried by later runs with back-off.
// A crash between the channel's acceptance and the "delivered" commit
// sends it again: twice is better than never.

// Back-off between attempts: 1 minute, doubling, at most 6 hours.
const (
	firstRetry = time.Minute
	maxRetry   = 6 * time.Hour
	// alertLease is how long a claimed alert is left alone by other
	// processes (watch and serve on one state file) while it is sent.
	alertLease = 10 * time.Minute
)

// retryAfter is the wait after the n-th failed attempt (n >= 1).
func retryAfter(n int) time.Duration {
	d := firstRetry
	for i := 1; i < n && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

// channeled alerters name their channel in the outbox.
type channeled interface{ Channel() string }

func channelOf(a Alerter) string {
	if c, ok := a.(channeled); ok {
		return c.Channel()
	}
	return fmt.Sprintf("%T", a)
}

// outboxAlerts are the alerts a run with changes owes, one per channel.
func (r *Runner) outboxAlerts(rep *Report) ([]state.Alert, error) {
	if len(rep.Changes) == 0 || len(r.Alerts) == 0 {
		return nil, nil
	}
	payload, err := json.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("encoding the alert: %w", err)
	}
	out := make([]state.Alert, 0, len(r.Alerts))
	for _, a := range r.Alerts {
		out = append(out, state.Alert{Channel: channelOf(a), Payload: payload})
	}
	return out, nil
}

// deliver sends every due alert of the configured channels, oldest first,
// and records each outcome. Alerts of a channel no longer configured stay
// queued (and are counted in PendingAlerts).
func (r *Runner) deliver(ctx context.Context) error {
	due, err := r.DB.DueAlerts(ctx, r.Now())
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAlert, err)
	}
	byChannel := map[string]Alerter{}
	for _, a := range r.Alerts {
		byChannel[channelOf(a)] = a
	}
	var errs []error
	for _, a := range due {
		al := byChannel[a.Channel]
		if al == nil {
			continue
		}
		if err := r.deliverOne(ctx, al, a); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", ErrAlert, errors.Join(errs...))
	}
	return nil
}

func (r *Runner) deliverOne(ctx context.Context, al Alerter, a state.Alert) error {
	now := r.Now()
	ok, err := r.DB.ClaimAlert(ctx, a.ID, now, now.Add(alertLease))
	if err != nil || !ok {
		return err // another process is sending it
	}
	var rep Report
	if err := json.Unmarshal(a.Payload, &rep); err != nil {
		return r.DB.MarkFailed(ctx, a.ID, now.Add(maxRetry), "undecodable alert: "+err.Error())
	}
	rep.RunID = a.RunID
	if err := al.Alert(ctx, &rep); err != nil {
		next := r.Now().Add(retryAfter(a.Attempts + 1))
		if merr := r.DB.MarkFailed(context.WithoutCancel(ctx), a.ID, next, err.Error()); merr != nil {
			return errors.Join(err, merr)
		}
		return fmt.Errorf("run %d %s alert (attempt %d, next at %s): %w", a.RunID, a.Channel, a.Attempts+1,
			next.UTC().Format(time.RFC3339), err)
	}
	return r.DB.MarkDelivered(context.WithoutCancel(ctx), a.ID, r.Now())
}
