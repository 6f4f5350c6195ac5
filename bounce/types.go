package bounce

import "time"

// Schema names the version of the JSON layout (docs/bounce-json.md).
const Schema = "dnsblaudit.bounce/v1"

// Failure is one recipient a bounce says could not be reached, with what
// the receiver said and what that rejection blames.
type Failure struct {
	File    string `json:"file"`
	Message int    `json:"message"` // 1-based position of the message in its file (mbox), 1 otherwise
	// Recipient is the failed address as the report gives it ("" when a
	// rejection was found but no address it belongs to).
	Recipient    string `json:"recipient"`
	Action       string `json:"action,omitempty"` // RFC 3464 Action: failed, delayed...
	Status       string `json:"status"`           // enhanced status code (RFC 3463), "" when none was given
	ReplyCode    string `json:"reply_code,omitempty"`
	RemoteMTA    string `json:"remote_mta"`
	ReportingMTA string `json:"reporting_mta,omitempty"`
	Diagnostic   string `json:"diagnostic"`
	// Time is when the failed message arrived at the reporting MTA
	// (RFC 3464 Arrival-Date), else the last attempt, else the bounce's
	// Date header; TimeSource says which.
	Time       *time.Time `json:"time,omitempty"`
	TimeSource string     `json:"time_source,omitempty"`
	// Source says where the failure was read: "delivery-status" (an RFC
	// 3464 part), "text" (the human-readable part) or "header" (only an
	// X-Failed-Recipients header names it; no reason is known).
	Source string `json:"source"`
	Rejection
	// textDiag is the text part's account of the same failure, matched
	// when the report's own diagnostic names no list.
	textDiag string
}

// Rejection is what a diagnostic blames, when it blames a blocklist or
// the sender's reputation. Blocklisted false leaves every other field
// empty.
type Rejection struct {
	Blocklisted bool `json:"blocklisted"`
	// List names the list or reputation system (a pattern's name:
	// "spamhaus", "microsoft", or the zone a generic rejection named).
	List     string `json:"list"`
	Provider string `json:"provider,omitempty"`
	// Kind is "dnsbl" (a list published over DNS), "provider" (a
	// receiver's own block list) or "reputation" (a receiver's verdict on
	// the sender's reputation, usually temporary).
	Kind         string `json:"kind,omitempty"`
	ListedIP     string `json:"listed_ip"`
	ListedDomain string `json:"listed_domain"`
	DelistURL    string `json:"delist_url"`
	// Evidence is the part of the diagnostic that matched, Pattern the
	// pattern's name and PatternSource where its wording comes from.
	Evidence      string `json:"evidence,omitempty"`
	Pattern       string `json:"pattern,omitempty"`
	PatternSource string `json:"pattern_source,omitempty"`
	// DNSList is set when the list is also one the DNS catalogue knows.
	DNSList *DNSList `json:"dns_list,omitempty"`
}

// DNSList is the DNS catalogue's entry for the list a rejection named.
type DNSList struct {
	Name string `json:"name"`
	Zone string `json:"zone"`
	// Status is "active" (queried by default), "disabled" (queried when
	// enabled by name) or "dead" (never queried).
	Status     string `json:"status"`
	Dead       string `json:"dead,omitempty"`
	DeadReason string `json:"dead_reason,omitempty"`
}

// Statuses of a DNSList.
const (
	ListActive   = "active"
	ListDisabled = "disabled"
	ListDead     = "dead"
)

// Problem is a file or message that could not be read in full; reading
// goes on with what could be read.
type Problem struct {
	File    string `json:"file"`
	Message int    `json:"message,omitempty"`
	Error   string `json:"error"`
}

// Report is what a run over files and folders found.
type Report struct {
	Schema   string `json:"schema"`
	Files    int    `json:"files"`
	Messages int    `json:"messages"`
	// NoFailure counts the messages in which no failed recipient was
	// found (auto-replies, feedback reports, delivery notices).
	NoFailure int       `json:"no_failure"`
	Failures  []Failure `json:"failures"`
	Problems  []Problem `json:"problems"`
}

// Blocklistings returns the failures whose rejection blames a list.
func (r *Report) Blocklistings() []Failure {
	var out []Failure
	for _, f := range r.Failures {
		if f.Blocklisted {
			out = append(out, f)
		}
	}
	return out
}
