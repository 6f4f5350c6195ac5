package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// Why a batch or contact was left out of a run.
const (
	SkipSuppressed      = "suppressed"       // on the suppression list
	SkipAlreadyNotified = "already notified" // every incident was sent before
	SkipCooldown        = "cool-down"        // desk written to recently
	SkipCap             = "over the per-run cap"
)

// Skip is one desk (or prober) left out, and why.
type Skip struct {
	Desk    string    `json:"desk"`
	Probers []string  `json:"probers"`
	Reason  string    `json:"reason"`
	Until   time.Time `json:"until,omitzero"` // end of the cool-down
}

// Limits bound a run.
type Limits struct {
	Cooldown  time.Duration // least time between two notices to a desk
	MaxPerRun int           // notices with a recipient per run; 0 = no cap
	Now       time.Time
}

// Plan removes from the batches what must not be sent again: incidents a
// desk was already told about (by their keys), desks still in their
// cool-down, and batches beyond the cap. Drafts without a recipient pass
// through untouched and do not count against the cap. A nil store means
// nothing was ever sent.
func Plan(ctx context.Context, batches []Batch, st Store, l Limits) ([]Batch, []Skip, error) {
	var (
		out     []Batch
		skipped []Skip
		counted int
	)
	for _, b := range batches {
		if b.Contact == nil {
			out = append(out, b)
			continue
		}
		kept, skip, err := planOne(ctx, b, st, l)
		if err != nil {
			return nil, nil, err
		}
		if skip != nil {
			skipped = append(skipped, *skip)
			continue
		}
		if l.MaxPerRun > 0 && counted >= l.MaxPerRun {
			skipped = append(skipped, Skip{Desk: b.Desk(), Probers: proberIPs(b.Probers), Reason: SkipCap})
			continue
		}
		counted++
		out = append(out, kept)
	}
	return out, skipped, nil
}

func planOne(ctx context.Context, b Batch, st Store, l Limits) (Batch, *Skip, error) {
	if st == nil {
		return b, nil, nil
	}
	desk := b.Desk()
	sent, err := st.SentKeys(ctx, desk, BatchKeys(b))
	if err != nil {
		return b, nil, fmt.Errorf("notify: reading sent notices for %s: %w", desk, err)
	}
	var probers []evidence.Prober
	for _, p := range b.Probers {
		if np, ok := pruneProber(p, sent); ok {
			probers = append(probers, np)
		}
	}
	if len(probers) == 0 && len(b.Probers) > 0 {
		return b, &Skip{Desk: desk, Probers: proberIPs(b.Probers), Reason: SkipAlreadyNotified}, nil
	}
	last, err := st.LastSent(ctx, desk)
	if err != nil {
		return b, nil, fmt.Errorf("notify: reading sent notices for %s: %w", desk, err)
	}
	if until := last.Add(l.Cooldown); !last.IsZero() && l.Now.Before(until) {
		return b, &Skip{Desk: desk, Probers: proberIPs(probers), Reason: SkipCooldown, Until: until}, nil
	}
	b.Probers = probers
	return b, nil, nil
}

func proberIPs(ps []evidence.Prober) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.IP
	}
	return out
}
