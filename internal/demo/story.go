package demo

import "time"

// Story is the demo's cast: the operator's MX and domains, and the clock
// the demo runs at, so its output is the same on every run.
type Story struct {
	MX           string    // the operator's mail exchanger, listed by callbackrl
	Domains      []string  // the operator's own domains
	Now          time.Time // the demo's clock
	ListingStart time.Time // when the history says callbackrl began listing MX
}
