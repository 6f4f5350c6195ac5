package bounce

import (
	"net/netip"
	"regexp"
	"sort"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// Classifier decides what a failure's rejection blames, from the
// rejection patterns and the DNS list catalogue.
type Classifier struct {
	patterns []Pattern
	cat      *dnsbl.Catalogue
	zones    []dnsbl.List // catalogue lists with a plain zone, longest zone first
}

// NewClassifier uses patterns (DefaultPatterns when nil) and the DNS
// catalogue cat (dnsbl.DefaultCatalogue when nil).
func NewClassifier(patterns []Pattern, cat *dnsbl.Catalogue) *Classifier {
	if patterns == nil {
		patterns = DefaultPatterns()
	}
	if cat == nil {
		cat = dnsbl.DefaultCatalogue()
	}
	c := &Classifier{patterns: patterns, cat: cat}
	for _, l := range cat.Lists() {
		if !strings.Contains(l.Zone, dnsbl.KeyPlaceholder) {
			c.zones = append(c.zones, l)
		}
	}
	sort.SliceStable(c.zones, func(i, j int) bool { return len(c.zones[i].Zone) > len(c.zones[j].Zone) })
	return c
}

// Classify returns what the failure's rejection blames: the first pattern
// that matches the diagnostic, else the text part's account of the same
// failure. No match is a Rejection with Blocklisted false.
func (c *Classifier) Classify(f Failure) Rejection {
	if r, ok := c.classify(f.Diagnostic, f.RemoteMTA); ok {
		return r
	}
	if f.textDiag != "" && !strings.Contains(f.Diagnostic, f.textDiag) {
		if r, ok := c.classify(f.textDiag, f.RemoteMTA); ok {
			return r
		}
	}
	return Rejection{}
}

func (c *Classifier) classify(text, remoteMTA string) (Rejection, bool) {
	if text == "" {
		return Rejection{}, false
	}
	lower := strings.ToLower(text)
	for i := range c.patterns {
		p := &c.patterns[i]
		if !mayMatch(lower, p.needles) {
			continue
		}
		if loc := p.match.FindStringSubmatchIndex(text); loc != nil {
			return c.rejection(p, text, loc, remoteMTA), true
		}
	}
	return Rejection{}, false
}

func (c *Classifier) rejection(p *Pattern, text string, loc []int, remoteMTA string) Rejection {
	r := Rejection{
		Blocklisted: true, List: p.Name, Provider: p.Provider, Kind: p.Kind,
		Evidence: text[loc[0]:loc[1]], Pattern: p.Name, PatternSource: p.Source,
	}
	if p.Name == genericZone {
		r.List = strings.ToLower(firstGroup(text, loc))
	}
	r.ListedIP = listedIP(p, text, remoteMTA)
	if p.domain != nil {
		if m := p.domain.FindStringSubmatch(text); m != nil {
			r.ListedDomain = strings.ToLower(m[1])
		}
	}
	l, inCatalogue := c.dnsList(p, text, r.List)
	if inCatalogue {
		r.DNSList = dnsListOf(l)
		if p.Name == genericZone {
			r.List, r.Provider = l.Name, l.Description
		}
		if l.Kind == dnsbl.KindDomain {
			// A domain list (DBL, SURBL, URIBL) lists names: an address in
			// the text is the client's, not what is listed.
			r.ListedIP = ""
			if r.ListedDomain == "" {
				r.ListedDomain = listedDomain(text)
			}
		}
	}
	r.DelistURL = delist(p, l, text)
	return r
}

func firstGroup(text string, loc []int) string {
	for i := 2; i+1 < len(loc); i += 2 {
		if loc[i] >= 0 {
			return text[loc[i]:loc[i+1]]
		}
	}
	return ""
}

// dnsList finds the DNS catalogue's list: a catalogue zone the text
// quotes (the longest, so dbl.spamhaus.org beats spamhaus.org), a dead
// list under whose zone the named zone lies (dnsbl.sorbs.net), or the
// pattern's own.
func (c *Classifier) dnsList(p *Pattern, text, zone string) (dnsbl.List, bool) {
	lower := strings.ToLower(text)
	for _, l := range c.zones {
		if containsZone(lower, strings.ToLower(l.Zone)) {
			return l, true
		}
	}
	if p.Name == genericZone {
		if l, ok := c.cat.Dead(zone); ok {
			return l, true
		}
	}
	if p.DNSList != "" {
		return c.cat.Lookup(p.DNSList)
	}
	return dnsbl.List{}, false
}

// containsZone: zone appears in text as a whole name, not as the tail of
// a longer one (bl.spamcop.net inside xbl.spamcop.net.example).
func containsZone(text, zone string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], zone)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(zone)
		if (start == 0 || !zoneChar(text[start-1])) && (end == len(text) || !zoneChar(text[end]) || text[end] == '.' && (end+1 == len(text) || !zoneChar(text[end+1]))) {
			return true
		}
		i = start + 1
	}
}

func zoneChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '.'
}

func dnsListOf(l dnsbl.List) *DNSList {
	d := &DNSList{Name: l.Name, Zone: l.Zone, Status: ListActive}
	switch {
	case l.Dead != "":
		d.Status, d.Dead, d.DeadReason = ListDead, l.Dead, l.DeadReason
	case l.Disabled:
		d.Status = ListDisabled
	}
	return d
}

// delist: the pattern's vetted address, else that of l, the DNS
// catalogue's entry (zero when the list is not in it), else the address
// the rejection gives. A dead list has none: there is nobody left to ask.
func delist(p *Pattern, l dnsbl.List, text string) string {
	if l.Dead != "" {
		return ""
	}
	if p.Delist != "" {
		return p.Delist
	}
	if l.Delist != "" {
		return l.Delist
	}
	if u := urlIn.FindString(text); u != "" {
		return strings.TrimRight(u, ".,;:)]>'\"")
	}
	return ""
}

// domainIn finds the name a domain-list rejection is about: Spamhaus's
// lookup address (".../query/domain/NAME") or the domain of the address
// Postfix quotes ("Sender address [a@NAME]", "<a@NAME>").
var domainIn = []*regexp.Regexp{
	regexp.MustCompile(`(?i)/query/domain/([A-Za-z0-9.-]+\.[A-Za-z]{2,})`),
	regexp.MustCompile(`[\[<][^\s@<>\[\]]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})[\]>]`),
}

func listedDomain(text string) string {
	for _, re := range domainIn {
		if m := re.FindStringSubmatch(text); m != nil {
			return strings.ToLower(m[1])
		}
	}
	return ""
}

var (
	urlIn  = regexp.MustCompile(`https?://[^\s<>"']+`)
	ipv4In = regexp.MustCompile(`(?:^|[^0-9.])((?:[0-9]{1,3}\.){3}[0-9]{1,3})(?:[^0-9.]|\.?$|\.[^0-9])`)
	ipv6In = regexp.MustCompile(`(?i)(?:^|[^0-9a-f:])([0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?:[^0-9a-f:]|$)`)
)

// listedIP is the address the rejection blames: where the pattern says
// it is quoted, else the first address in the text that is not the
// remote MTA's own.
func listedIP(p *Pattern, text, remoteMTA string) string {
	if p.ip != nil {
		if m := p.ip.FindStringSubmatch(text); m != nil {
			if a, err := netip.ParseAddr(m[1]); err == nil {
				return a.Unmap().String()
			}
		}
	}
	if p.domain != nil {
		return "" // a domain list: an address in the text is not what it lists
	}
	remote := ipsIn(remoteMTA)
	for _, a := range ipsInOrder(text) {
		if !remote[a] {
			return a
		}
	}
	return ""
}

// ipsInOrder returns the IP literals of text in order of appearance.
func ipsInOrder(text string) []string {
	type hit struct {
		at int
		ip string
	}
	var hits []hit
	for _, re := range []*regexp.Regexp{ipv4In, ipv6In} {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			if a, err := netip.ParseAddr(text[m[2]:m[3]]); err == nil {
				hits = append(hits, hit{m[2], a.Unmap().String()})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ip
	}
	return out
}

func ipsIn(text string) map[string]bool {
	m := map[string]bool{}
	for _, a := range ipsInOrder(text) {
		m[a] = true
	}
	return m
}
