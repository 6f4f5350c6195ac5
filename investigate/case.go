package investigate

import (
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// Schema names the version of the case.json layout (docs/case-json.md). It
// changes only when a field is removed or changes meaning.
const Schema = "dnsblaudit.case/v1"

// Case is everything an investigation found; case.json is its JSON form and
// the input of `dnsblaudit notify --case DIR`.
type Case struct {
	Schema   string          `json:"schema"`
	Created  time.Time       `json:"created"`
	Subject  string          `json:"subject"` // the listed IP under investigation
	Domains  []string        `json:"domains"` // the operator's own domains
	Window   Window          `json:"window"`  // the log window scanned
	Checks   []dnsbl.Result  `json:"checks"`  // every verdict of the check run
	Health   []dnsbl.Health  `json:"health"`  // every list's health in that run
	Listings []Listing       `json:"listings"`
	Evidence evidence.Report `json:"evidence"`
	// Outbound is what the same logs show the MX itself sent (nil when
	// the outbound side was not read).
	Outbound *outbound.Report `json:"outbound,omitempty"`
	Contacts []ProberContacts `json:"contacts"`
	// Explanations are the causes weighed, best-supported first.
	Explanations []Explanation `json:"explanations"`
	// Hypothesis is the received-callouts explanation, kept in its
	// place for readers of earlier cases.
	Hypothesis Hypothesis `json:"hypothesis"`
	Timeline   []Event    `json:"timeline"`
	Notices    []Notice   `json:"notices"`
	Warnings   []string   `json:"warnings"`
}

// Window is the interval of log time the scan covered, with how it was
// chosen, so a reader can tell a default from a choice.
type Window struct {
	Since  time.Time `json:"since"`
	Until  time.Time `json:"until"`
	Source string    `json:"source"` // "flags", "listing-start", "default"
}

// Listing is one list that lists a target now, with when it began.
type Listing struct {
	Target   string     `json:"target"`
	List     string     `json:"list"`
	Zone     string     `json:"zone"`
	Codes    []string   `json:"codes"`
	Meanings []string   `json:"meanings"`
	Reason   string     `json:"reason"`
	TXT      []string   `json:"txt"`
	Delist   string     `json:"delist_url,omitempty"`
	Since    *time.Time `json:"since,omitempty"` // start of the listing, nil when unknown
	// SinceSource says where Since came from: "history" (the state
	// database's first listed verdict of the current interval),
	// SinceBounce (the time of a bounce's rejection), or "" when unknown
	// (no history: the listing is at least as old as the check).
	SinceSource string `json:"since_source,omitempty"`
	// Bounce is the bounce that named this listing (investigate --bounce);
	// then SinceSource may be SinceBounce.
	Bounce *BounceSource `json:"bounce,omitempty"`
	// SinceKind says what Since is worth: SinceBracketed when an earlier
	// run saw the target clean (CleanBefore), so the listing began
	// between the two; SinceFirstSeen when Since is only when this tool
	// first saw it listed, and the listing may be older.
	SinceKind   string     `json:"since_kind,omitempty"`
	CleanBefore *time.Time `json:"clean_before,omitempty"`
	// CalloutWords are the words of the reason text that point at address
	// probing ("dictionary attack", "harvest"…), as the list wrote them.
	CalloutWords []string `json:"callout_words,omitempty"`
}

// ProberContacts are the abuse contacts found for one prober, best first.
type ProberContacts struct {
	IP        string             `json:"ip"`
	HeloNames []string           `json:"helo_names"`
	Probes    int                `json:"probes"`
	Contacts  []whoisctx.Contact `json:"contacts"`
	Error     string             `json:"error,omitempty"` // why no contact was found, if none was
	// Lookup is the whole answer: registry, network, AS, the raw registry
	// texts kept as evidence, and warnings.
	Lookup *whoisctx.Result `json:"lookup,omitempty"`
}

// Verdicts of an explanation (the hypothesis is the received-callouts
// one; Unknown is in explain.go).
const (
	// Supported: the traffic the cause needs came in the lookback before
	// a bracketed listing start, and the reason text points nowhere else
	// (for received callouts: callouts against the operator's MX,
	// following the forged use of the addresses they asked about).
	Supported = "supported"
	// Partial: some of the evidence is there, not all of it (no listing,
	// no known start, nothing linked before the start, a reason text
	// pointing elsewhere); the summary says what is missing.
	Partial = "partial"
	// NotSupported: the logs hold none of the traffic the cause needs
	// (for received callouts: no callouts); something else explains the
	// listing.
	NotSupported = "not_supported"
)

// Hypothesis is the explanation the evidence supports, in plain words, and
// the facts it rests on.
type Hypothesis struct {
	Verdict string `json:"verdict"` // Supported, Partial, NotSupported or Unknown
	Summary string `json:"summary"` // one paragraph, plain words
	Facts   []Fact `json:"facts"`
}

// Kinds of listing start.
const (
	SinceBracketed = "bracketed"
	SinceFirstSeen = "first-seen"
)

// Fact is one observation with its time and where it was read.
type Fact struct {
	Time   *time.Time `json:"time,omitempty"`
	Text   string     `json:"text"`
	Source string     `json:"source"` // "dnsbl", "history", "logs", "whois"
	// Lines are raw log lines the fact rests on (a sample when many).
	Lines []evidence.Line `json:"lines,omitempty"`
}

// Event kinds on the timeline.
const (
	EventListing = "listing"
	EventForged  = "forged-sender"
	EventProbe   = "probe"
	EventNotice  = "notice"
	// EventOwn: the MX itself sent something that may explain a listing
	// (its first and last callout or bounce to another host, a bursting
	// sender's first and last delivery).
	EventOwn = "own-mail"
)

// Event is one point on the timeline.
type Event struct {
	Time   time.Time `json:"time"`
	Kind   string    `json:"kind"`
	Lane   string    `json:"lane"` // list name, prober IP, "forged senders", "notices"
	Detail string    `json:"detail"`
}

// Notice is one rendered notice file in the case directory.
type Notice struct {
	File    string   `json:"file"` // path relative to the case directory
	Kind    string   `json:"kind"` // "callback", "delisting", …
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	About   []string `json:"about"` // prober IPs or list names it concerns
	// Desk and Keys are the dedupe desk and incident keys the notice
	// covers, recorded when `notify --case DIR --send` sends the file.
	Desk string   `json:"desk,omitempty"`
	Keys []string `json:"keys,omitempty"`
}
