package dnsbl

import (
	"fmt"
	"net/netip"
)

// Severity says how much a listing weighs. Not every listing is evidence
// of abuse: Spamhaus PBL lists end-user ranges by policy ("should not send
// direct mail"), URIBL grey is "domain in bulk mail, may be legitimate",
// UCEPROTECT levels 2 and 3 list whole allocations and ASNs for their
// neighbours' spam.
type Severity string

// The severities, from the heaviest.
const (
	// SeverityBlock: evidence of abuse; receivers commonly reject on it.
	SeverityBlock Severity = "block"
	// SeverityPolicy: listed by policy, not for abuse (PBL end-user
	// ranges): worth fixing (send through the provider's relay, ask the
	// ISP), a WARNING rather than CRITICAL.
	SeverityPolicy Severity = "policy"
	// SeverityInformational: a weak or collateral signal that does not
	// change a check's status by itself.
	SeverityInformational Severity = "informational"
)

// weight orders severities; unknown ones weigh as block.
func (s Severity) weight() int {
	switch s {
	case SeverityInformational:
		return 0
	case SeverityPolicy:
		return 1
	}
	return 2
}

func validSeverity(s Severity) bool {
	switch s {
	case "", SeverityBlock, SeverityPolicy, SeverityInformational:
		return true
	}
	return false
}

func checkSeverity(s Severity, path string) error {
	if !validSeverity(s) {
		return fmt.Errorf("%s.severity %q: want block, policy or informational: %w", path, s, ErrBadConfig)
	}
	return nil
}

// listSeverity is the list's default severity (block unless set).
func (l *list) listSeverity() Severity {
	if l.def.Severity == "" {
		return SeverityBlock
	}
	return l.def.Severity
}

// severity is the weight of a listing with these codes: the heaviest of
// the codes' severities, each code taking its documented entry's severity
// (for bitmask lists, every bit's) or else the list's.
func (l *list) severity(codes []netip.Addr) Severity {
	best := Severity("")
	for _, code := range codes {
		matched := false
		for _, c := range l.codes {
			if !c.m.MatchAddr(code) {
				continue
			}
			matched = true
			s := c.severity
			if s == "" {
				s = l.listSeverity()
			}
			if best == "" || s.weight() > best.weight() {
				best = s
			}
		}
		if !matched && (best == "" || l.listSeverity().weight() > best.weight()) {
			best = l.listSeverity()
		}
	}
	if best == "" {
		best = l.listSeverity()
	}
	return best
}
