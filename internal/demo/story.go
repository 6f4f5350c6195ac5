package demo

import "time"

// Story is the demo's cast: the operator's MX and domains, and the clock
// the demo runs at, so its output is the same on every run.
type Story struct {
	MX           string    // the operator's mail exchanger, listed by callbackrl
	Gateway      string    // the secondary MX, spamd in front (spamd.log, spamdb dumps)
	Domains      []string  // the operator's own domains
	Networks     []string  // the operator's own sending networks
	Now          time.Time // the demo's clock
	ListingStart time.Time // when the history says callbackrl began listing MX
	From         string    // the operator's role mailbox, sender of notices
}

// Default is the story the sample logs tell (data/README.md).
func Default() Story {
	return Story{
		MX:           "203.0.113.25",
		Gateway:      "203.0.113.26",
		Domains:      []string{"example.com"},
		Networks:     []string{"203.0.113.0/28"},
		Now:          time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC),
		ListingStart: time.Date(2026, 11, 20, 15, 10, 0, 0, time.UTC),
		From:         "Example Postmaster <postmaster@example.com>",
	}
}
