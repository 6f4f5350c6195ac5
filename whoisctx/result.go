package whoisctx

import "time"

// Kind says what was looked up.
type Kind string

// Query kinds.
const (
	KindIP     Kind = "ip"
	KindDomain Kind = "domain"
)

// Result is everything one Lookup learned. Contacts are ranked, best first;
// Raw keeps every registry answer as evidence. A lookup that found no
// contact is a result, not an error; Warnings say why (rate limit, timeout,
// registry without abuse contact).
type Result struct {
	Query       string `json:"query"`
	Kind        Kind   `json:"kind"`
	Prefix      string `json:"prefix,omitempty"`       // covering prefix (the cache key)
	ASN         uint32 `json:"asn,omitempty"`          // origin AS (Team Cymru)
	ASName      string `json:"as_name,omitempty"`      // AS name (Team Cymru)
	Country     string `json:"country,omitempty"`      // registry country code
	Registry    string `json:"registry,omitempty"`     // arin, ripencc, apnic, lacnic, afrinic
	NetName     string `json:"net_name,omitempty"`     // registry network name or handle
	ReverseName string `json:"reverse_name,omitempty"` // forward-confirmed reverse name
	Domain      string `json:"domain,omitempty"`       // registrable domain
	Local       string `json:"local,omitempty"`        // why it was answered locally (private, documentation…)
	Cached      bool   `json:"cached,omitempty"`       // the network part came from the cache
	RateLimited bool   `json:"rate_limited,omitempty"` // a server refused us for rate; retry later
	// Incomplete: a source failed (timeout, network error, rate limit), so
	// a missing contact may exist; see Warnings.
	Incomplete bool        `json:"incomplete,omitempty"`
	Contacts   []Contact   `json:"contacts"`
	Raw        []RawAnswer `json:"raw,omitempty"`
	Warnings   []string    `json:"warnings,omitempty"`
	Time       time.Time   `json:"time"`
}

// RawAnswer is one server's answer, kept verbatim (after charset repair and
// truncation) as evidence. Text is stranger's data: print it through
// internal/textsafe.
type RawAnswer struct {
	Source      string `json:"source"` // rdap, whois, cymru, abusix, abuse.net
	Server      string `json:"server"`
	Query       string `json:"query"`
	Text        string `json:"text"`
	RateLimited bool   `json:"rate_limited,omitempty"`
	Truncated   bool   `json:"truncated,omitempty"`
	Error       string `json:"error,omitempty"`
	// RedirectedFrom lists the URLs that redirected to Query, in order,
	// separated by spaces (RDAP only).
	RedirectedFrom string `json:"redirected_from,omitempty"`
}

// Best returns the first (best-ranked) contact and true, or false when
// there is none.
func (r *Result) Best() (Contact, bool) {
	if r == nil || len(r.Contacts) == 0 {
		return Contact{}, false
	}
	return r.Contacts[0], true
}
