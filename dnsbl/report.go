package dnsbl

import "time"

// Report is everything one Check found.
type Report struct {
	Started  time.Time    `json:"started"`
	Finished time.Time    `json:"finished"`
	Targets  []TargetInfo `json:"targets"`
	Results  []Result     `json:"results"`
	Health   []Health     `json:"health"`
	Lists    []ListInfo   `json:"lists"`
	Warnings []string     `json:"warnings"`
	// Lookups is the number of results for which a query was sent, and
	// ListsQueried the lists they went to: an unchecked result, a list
	// remembered unusable, a tripped breaker or a spent budget send
	// nothing and are not counted.
	Lookups      int `json:"lookups"`
	ListsQueried int `json:"lists_queried"`
}

// TargetInfo says what a target expanded to. Error is set when the target
// could not be checked at all (its name did not resolve and no domain list
// is selected, or resolution failed).
type TargetInfo struct {
	Input     string     `json:"input"`
	Kind      TargetKind `json:"kind"`
	Addresses []string   `json:"addresses,omitempty"` // resolved A/AAAA of a name
	Domains   []string   `json:"domains,omitempty"`   // names checked on domain lists
	Note      string     `json:"note,omitempty"`
	Error     string     `json:"error,omitempty"`
}

// ListInfo describes a list used in a run, key redacted.
type ListInfo struct {
	Name                   string `json:"name"`
	Zone                   string `json:"zone"`
	Kind                   Kind   `json:"kind"`
	Allowlist              bool   `json:"allowlist,omitempty"`
	Description            string `json:"description,omitempty"`
	Delist                 string `json:"delist_url,omitempty"`
	Policy                 string `json:"policy,omitempty"`
	RequiresRegistration   bool   `json:"requires_registration,omitempty"`
	RefusesPublicResolvers bool   `json:"refuses_public_resolvers,omitempty"`
	Resolver               string `json:"resolver"`
	// Severity is the list's default listing severity.
	Severity Severity `json:"severity"`
}

// Counts tallies verdicts; allowlist listings are counted apart, since
// being on DNSWL is good news.
type Counts struct {
	Listed, Allowlisted, NotListed, Refused, Error, Bogus, Unknown int
	// Unchecked counts lookups not sent because the list does not answer
	// the address's family; they are not failures.
	Unchecked int
	// Policy and Informational count the listings (in Listed) of those
	// severities; the rest of Listed weigh as block.
	Policy, Informational int
}

// Block is the number of listings of severity block.
func (c Counts) Block() int { return c.Listed - c.Policy - c.Informational }

// Counts tallies the report's verdicts.
func (r *Report) Counts() Counts {
	allow := map[string]bool{}
	for _, l := range r.Lists {
		allow[l.Name] = l.Allowlist
	}
	var c Counts
	for _, res := range r.Results {
		switch res.Verdict {
		case Listed:
			if allow[res.List] {
				c.Allowlisted++
			} else {
				c.Listed++
				switch res.Severity {
				case SeverityPolicy:
					c.Policy++
				case SeverityInformational:
					c.Informational++
				}
			}
		case NotListed:
			c.NotListed++
		case Refused:
			c.Refused++
		case Error:
			c.Error++
		case Bogus:
			c.Bogus++
		case Unchecked:
			c.Unchecked++
		default:
			c.Unknown++
		}
	}
	return c
}

// List returns the ListInfo of the named list.
func (r *Report) List(name string) (ListInfo, bool) {
	for _, l := range r.Lists {
		if l.Name == name {
			return l, true
		}
	}
	return ListInfo{}, false
}
