package outbound

import (
	"sort"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// Report is what the outbound side of the logs shows; its JSON form is
// the "outbound" member of case.json (docs/case-json.md).
type Report struct {
	// Read says whether any input could be read at all: a report of
	// nothing read proves nothing about what the MX sent.
	Read  bool        `json:"read"`
	Files []FileStats `json:"files"`
	Lines int         `json:"lines"`
	// Outbound counts the lines that record something the MX sent or
	// tried to send (deliveries, bounces, verification probes).
	Outbound  int `json:"outbound_lines"`
	Malformed int `json:"malformed"`
	Skipped   int `json:"skipped"` // lines outside the window
	// Deliveries are the delivery attempts to other hosts (remote), one
	// per recipient and attempt; Local the deliveries to local mailboxes.
	Deliveries Tally `json:"deliveries"`
	Local      Tally `json:"local"`
	// Callouts are the address-verification probes our MX sent to other
	// hosts (own callouts); InternalCallouts those it sent to the own
	// networks (a gateway's reject_unverified_recipient asking the own MX).
	Callouts         Tally `json:"callouts"`
	InternalCallouts int   `json:"internal_callouts"`
	// Relayed are the deliveries to other hosts of mail that came from a
	// client outside the own networks without authenticating: what an
	// open relay sends. RelayChecked is false when no own networks were
	// given, and then nothing can be told apart.
	Relayed      Tally `json:"relayed"`
	RelayChecked bool  `json:"relay_checked"`
	// Bounces are the delivery status notifications our MX generated
	// (null sender) and where they went.
	Bounces Bounces `json:"bounces"`
	// Senders are the senders of outbound mail, busiest first: an SASL
	// user when the submission was authenticated, else the envelope sender.
	Senders []Sender `json:"senders"`
	// RemoteIPs are the addresses of every host the MX delivered to or
	// tried to (mail, bounces, callouts), sorted, at most maxRemoteIPs:
	// what a notice may say about "mail we sent your host".
	RemoteIPs []string `json:"remote_ips"`
}

// SentTo reports whether the MX delivered or tried to deliver anything
// to ip in the logs read.
func (r *Report) SentTo(ip string) bool {
	i := sort.SearchStrings(r.RemoteIPs, ip)
	return i < len(r.RemoteIPs) && r.RemoteIPs[i] == ip
}

// FileStats is one input and what was read from it.
type FileStats struct {
	File      string `json:"file"`
	Lines     int    `json:"lines"`
	Outbound  int    `json:"outbound_lines"`
	Malformed int    `json:"malformed"`
	Error     string `json:"error,omitempty"`
}

// Tally counts events per day with their span and the first lines.
type Tally struct {
	Count    int        `json:"count"`
	Rejected int        `json:"rejected"` // refused by the remote side (5xx) or undeliverable
	Deferred int        `json:"deferred"`
	First    *time.Time `json:"first,omitempty"`
	Last     *time.Time `json:"last,omitempty"`
	Days     []Day      `json:"days"`
	Hosts    []string   `json:"hosts,omitempty"` // remote hosts, sorted, at most maxHosts
	Samples  []Line     `json:"samples"`
	// RejectedSamples are the first lines of rejected events, so that a
	// statement about failures quotes failures.
	RejectedSamples []Line     `json:"rejected_samples,omitempty"`
	FirstRejected   *time.Time `json:"first_rejected,omitempty"`

	times []time.Time // every event's time, up to maxTimes, for Between
}

// Between counts the events in [from, to]. It is exact for a tally just
// scanned (a lower bound past maxTimes events); for one read back from
// JSON it knows only the span and counts all or nothing.
func (t Tally) Between(from, to time.Time) int {
	if t.times == nil {
		if t.First != nil && !t.First.After(to) && !t.Last.Before(from) {
			return t.Count
		}
		return 0
	}
	n := 0
	for _, at := range t.times {
		if !at.Before(from) && !at.After(to) {
			n++
		}
	}
	return n
}

// Day is a count on one calendar day (YYYY-MM-DD in the report's zone).
type Day struct {
	Day   string `json:"day"`
	Count int    `json:"count"`
}

// Bounces are the notifications our MX generated. Remote are those sent
// to other hosts: to a forged sender, that is backscatter.
type Bounces struct {
	Generated int   `json:"generated"` // bounce notifications created
	Remote    Tally `json:"remote"`    // delivery attempts of bounces to other hosts
	// Recipients are the addresses the bounces went to (at most
	// maxAddresses, sorted).
	Recipients []string `json:"recipients"`
	Samples    []Line   `json:"samples"`
}

// Sender is one sender of outbound mail.
type Sender struct {
	Sender string `json:"sender"`          // SASL user or envelope sender
	Auth   bool   `json:"authenticated"`   // Sender is an SASL user name
	Local  bool   `json:"local,omitempty"` // submitted on the host (pickup, Exim U= local)
	// Messages are the messages accepted from this sender; Remote their
	// delivery attempts to other hosts (per recipient).
	Messages int   `json:"messages"`
	Remote   Tally `json:"remote"`
	// Recipients are the distinct remote recipients.
	Recipients int   `json:"recipients"`
	Days       []Day `json:"days"` // messages per day
}

// Line is one raw log line with where it came from: the evidence
// package's line (its Reason stays empty here, and is left out of JSON).
type Line = evidence.Line
