// Package dnsbl checks IP addresses and domains against DNS blocklists
// (RFC 5782) and reports an honest verdict for every lookup: a listing, a
// non-listing, a refusal by the list operator, an error, a bogus answer, or
// "unknown" when the list itself failed its health checks.
package dnsbl

import "time"

// Kind says what a list is keyed by: the address families it answers,
// or domain names.
type Kind string

// List kinds. KindBoth is a list that answers IPv4 queries (RFC 5782 §2.1)
// and nibble-form IPv6 queries (§2.4) in the same zone, as Spamhaus ZEN does.
const (
	KindIPv4   Kind = "ipv4"
	KindIPv6   Kind = "ipv6"
	KindBoth   Kind = "both"
	KindDomain Kind = "domain"
)

// Verdict is the outcome of one lookup. Verdicts are never merged: a
// timeout is not "clean" and a refusal is not "listed".
type Verdict string

// The verdicts; the JSON output uses exactly these strings.
const (
	Listed    Verdict = "listed"
	NotListed Verdict = "not_listed"
	Refused   Verdict = "refused"
	Error     Verdict = "error"
	Bogus     Verdict = "bogus"
	Unknown   Verdict = "unknown"
	// Unchecked: the list does not answer for the query's address family
	// (an IPv6 address on an IPv4-only list). It is said, never left out:
	// silence would read as "clean".
	Unchecked Verdict = "unchecked"
)

// Result is the verdict for one (target, list) pair. A listing is a result,
// not an error.
type Result struct {
	Target   string   `json:"target"`   // what the user asked for (IP, CIDR, hostname, domain)
	Query    string   `json:"query"`    // the address or domain actually looked up
	List     string   `json:"list"`     // the list's short name
	Zone     string   `json:"zone"`     // the zone, with any secret key redacted
	Verdict  Verdict  `json:"verdict"`  // exactly one of the Verdict constants
	Codes    []string `json:"codes"`    // every A record of the answer, in order
	Meanings []string `json:"meanings"` // documented meaning of each code that has one
	Reason   string   `json:"reason"`   // why this verdict (meaning, refusal cause, error)
	// Severity weighs a listing (block, policy, informational); set only
	// when Verdict is Listed.
	Severity Severity  `json:"severity,omitempty"`
	TXT      []string  `json:"txt"` // TXT records at the same name, sanitised
	Delist   string    `json:"delist_url,omitempty"`
	Checked  time.Time `json:"checked"`
}
