package whoisctx

// Role says whose contact an address is: the network's (who can stop the
// host), the domain's, or the registrar's.
type Role string

// Roles, best first for a callback notice.
const (
	RoleNetwork   Role = "network"
	RoleDomain    Role = "domain"
	RoleRegistrar Role = "registrar"
)

// Contact is one abuse address with its provenance; Raw is the registry
// answer it came from, kept as evidence for the notice.
type Contact struct {
	Address    string  `json:"address"`
	Role       Role    `json:"role"`
	Source     string  `json:"source"`     // rdap, whois, abusix, abuse.net, rfc2142-guess…
	Server     string  `json:"server"`     // which server answered
	Confidence float64 `json:"confidence"` // 0..1
	Note       string  `json:"note,omitempty"`
	Raw        string  `json:"raw,omitempty"`
	// Field is where in the answer the address was found
	// ("abuse-mailbox", "OrgAbuseEmail", "entity abuse", "remarks"…).
	Field string `json:"field,omitempty"`
	// NeedsReview marks weak evidence (an address seen only in remarks, a
	// guess): a person should confirm it before a notice goes out.
	NeedsReview bool `json:"needs_review,omitempty"`
}

// Sources, as they appear in Contact.Source and RawAnswer.Source.
const (
	SourceRDAP     = "rdap"
	SourceWhois    = "whois"
	SourceCymru    = "cymru"
	SourceAbusix   = "abusix"
	SourceAbuseNet = "abuse.net"
	SourceRFC2142  = "rfc2142-guess"
)

func roleOrder(r Role) int {
	switch r {
	case RoleNetwork:
		return 0
	case RoleDomain:
		return 1
	case RoleRegistrar:
		return 2
	}
	return 3
}
