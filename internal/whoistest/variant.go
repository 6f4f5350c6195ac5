package whoistest

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// A Variant is a fixture network moved to an example range and handed to a
// fictional holder. It keeps the real answer's shape (keys, order, objects,
// which contacts are abuse, remarks or tech) so that parsing and ranking
// are exercised as on the real answer, but no real identity: the offline
// demo and the tests name the variant's hosts as callout probers, and a
// real company, person or address must never be tied to that.
type Variant struct {
	Prefix netip.Prefix
	Base   string // Networks name the variant derives from
	Holder Holder
	// From, To replace the base's ranges and e-mail addresses (every
	// address in the base answer is replaced, so no real mailbox is named).
	From, To []string
	Origin   string // Team Cymru origin TXT; its ASN is the holder's
	Best     string // the contact a correct lookup ranks first
	Abusix   string
}

// Holder is the fictional identity a variant's answers name instead of the
// base's real holder; the base's identity table (identities) says where
// each value goes.
type Holder struct {
	Name   string // "Example Hosting": organisation, role and descr text
	Handle string // "EXH": prefix of the handles and maintainers
	Domain string // "hosting.example.net": host names (e-mail is in From/To)
}

// Answers returns the variant's WHOIS text and RDAP body ("" = 404): the
// base's, with ranges and e-mail replaced, then every identity string of
// the base replaced by the holder's.
func (v Variant) Answers() (whois, rdap string, err error) {
	i := slices.IndexFunc(Networks, func(n Network) bool { return n.Name == v.Base })
	if i < 0 {
		return "", "", fmt.Errorf("whoistest: %s: no fixture network %q", v.Prefix, v.Base)
	}
	if len(v.From) != len(v.To) {
		return "", "", fmt.Errorf("whoistest: %s: %d replacements for %d strings", v.Prefix, len(v.To), len(v.From))
	}
	r := v.replacer()
	n := Networks[i]
	return r.Replace(File(n.WHOIS)), r.Replace(rdapBody(n.RDAP)), nil
}

// replacer replaces the ranges, e-mail addresses and identity strings at
// once; the longer of two strings that start at the same place wins (an
// organisation's name before its prefix).
func (v Variant) replacer() *strings.Replacer {
	fill := strings.NewReplacer("{name}", v.Holder.Name, "{hdl}", v.Holder.Handle,
		"{domain}", v.Holder.Domain, "{asn}", v.asn())
	type pair struct{ from, to string }
	pairs := make([]pair, 0, len(v.From)+len(identities[v.Base]))
	for i := range v.From {
		pairs = append(pairs, pair{v.From[i], v.To[i]})
	}
	for _, p := range identities[v.Base] {
		pairs = append(pairs, pair{p[0], fill.Replace(p[1])})
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(len(b.from), len(a.from)) })
	flat := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		flat = append(flat, p.from, p.to)
	}
	return strings.NewReplacer(flat...)
}

// asn is the origin AS of the variant (the first field of Origin).
func (v Variant) asn() string {
	asn, _, _ := strings.Cut(v.Origin, " ")
	return asn
}
