package notify

import (
	"strings"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// Batch is what one notice reports: the probers of one desk (contact
// address). A batch without a contact is a draft that needs a recipient.
type Batch struct {
	Contact *whoisctx.Contact
	Probers []evidence.Prober
}

// Desk is the batch's contact address in lower case, the key of dedupe
// and cool-down, or "" when the batch has no contact.
func (b Batch) Desk() string {
	if b.Contact == nil {
		return ""
	}
	return deskKey(b.Contact.Address)
}

func deskKey(addr string) string { return strings.ToLower(strings.TrimSpace(addr)) }

// Policy chooses recipients.
type Policy struct {
	Recipients    string   // RecipientsBest or RecipientsAll
	MinConfidence float64  // contacts below are ignored
	Suppress      []string // addresses or domains never written to
	// PerProber makes one batch per (desk, prober) instead of one per
	// desk: an X-ARF report names exactly one source.
	PerProber bool
}

// Group makes one batch per desk holding every prober that chose it, in
// the order the report ranks probers, and one draft batch per prober
// without a usable contact. Suppressed contacts are passed over in favour
// of the next one, and reported.
func Group(in Input, p Policy) ([]Batch, []Skip) {
	var (
		out     []Batch
		skipped []Skip
		byDesk  = map[string]int{}
	)
	for _, pr := range in.Report.Probers {
		chosen, suppressed := choose(in.ContactsOf(pr.IP), p)
		for _, s := range suppressed {
			skipped = append(skipped, Skip{Desk: deskKey(s.Address), Probers: []string{pr.IP}, Reason: SkipSuppressed})
		}
		if len(chosen) == 0 {
			out = append(out, Batch{Probers: []evidence.Prober{pr}})
			continue
		}
		for _, c := range chosen {
			key := deskKey(c.Address)
			if p.PerProber {
				key += "|" + pr.IP
			}
			if i, ok := byDesk[key]; ok {
				out[i].Probers = append(out[i].Probers, pr)
				continue
			}
			byDesk[key] = len(out)
			c := c
			out = append(out, Batch{Contact: &c, Probers: []evidence.Prober{pr}})
		}
	}
	return out, skipped
}

// choose ranks contacts with whoisctx.Rank (the order the whois output
// and the case show) and applies the policy; contacts whose address does
// not parse are dropped (they could never be sent to).
func choose(cs []whoisctx.Contact, p Policy) (chosen, suppressed []whoisctx.Contact) {
	seen := map[string]bool{}
	for _, c := range whoisctx.Rank(cs) {
		key := deskKey(c.Address)
		if seen[key] || c.Confidence < p.MinConfidence {
			continue
		}
		seen[key] = true
		a, err := ParseAddress(c.Address)
		if err != nil {
			continue
		}
		if isSuppressed(a.Address, p.Suppress) {
			suppressed = append(suppressed, c)
			continue
		}
		c.Address = a.Address
		chosen = append(chosen, c)
		if p.Recipients != RecipientsAll {
			break
		}
	}
	return chosen, suppressed
}

// isSuppressed matches an address against entries that are addresses
// ("abuse@example.net") or domains ("example.net", "@example.net"); a
// domain entry also covers its subdomains.
func isSuppressed(addr string, list []string) bool {
	addr = strings.ToLower(addr)
	domain := domainOf(addr)
	for _, s := range list {
		s = strings.ToLower(strings.TrimSpace(s))
		switch {
		case s == "":
		case strings.Contains(strings.TrimPrefix(s, "@"), "@"):
			if s == addr {
				return true
			}
		default:
			d := strings.TrimPrefix(s, "@")
			if domain == d || strings.HasSuffix(domain, "."+d) {
				return true
			}
		}
	}
	return false
}
