package evidence

import (
	"testing"
	"time"
)

// A probe at t is tied to the spam it was verifying even when the
// verifying receiver logged that spam only after the probe.
func TestForgedUseFor(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 6, 28, 30, 0, time.UTC)
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	cases := []struct {
		name string
		uses [][2]time.Time // logged, began
		want time.Time      // zero: no link
	}{
		{"logged before the probe", [][2]time.Time{{sec(-5)}}, sec(-5)},
		{"logged after, session began before: dated from the session", [][2]time.Time{{sec(-600)}, {sec(2), sec(-1)}}, sec(-1)},
		{"logged after, session began after: another spam", [][2]time.Time{{sec(3), sec(1)}}, time.Time{}},
		{"logged after, start unknown: within verifyLag, negative delay", [][2]time.Time{{sec(3)}}, sec(3)},
		{"logged after, start unknown, but one as near before", [][2]time.Time{{sec(-2)}, {sec(2)}}, sec(-2)},
		{"logged too long after", [][2]time.Time{{t0.Add(verifyLag + time.Second)}}, time.Time{}},
		{"outside the window", [][2]time.Time{{t0.Add(-25 * time.Hour)}}, time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCampaign([]string{"victim.test"}, nil)
			u := &addrUses{}
			for _, use := range tc.uses {
				u.times = append(u.times, c.clock.use(use[0], use[1]))
			}
			c.forged["a@victim.test"] = u
			got, ok := c.forgedUseFor("a@victim.test", t0, 24*time.Hour)
			if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
				t.Errorf("forged at %v (%v), want %v", got, ok, tc.want)
			}
		})
	}
}
