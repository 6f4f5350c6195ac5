package whoisctx

import (
	"slices"
	"strconv"
	"strings"

	"github.com/openrdap/rdap"
)

// rdapFound is one e-mail of an abuse entity.
type rdapFound struct {
	address     string
	placeholder string // non-empty when dropped as a registry placeholder
	handle      string
	rank        int  // position after sorting by pref
	registrar   bool // the entity sits under a "registrar" entity
	// ambiguous: the entity lists several e-mails and no "pref" says which
	// is the desk. RIPE's RDAP answer of 2015 for 62.239.237.1 is such a
	// case: the abuse role's e-mail: attributes (people's mailboxes), not
	// its abuse-mailbox, which only WHOIS names.
	ambiguous bool
}

// maxEntityDepth stops a hostile answer from nesting entities forever.
const maxEntityDepth = 8

// rdapAbuse walks entities at any depth (ARIN nests the abuse entity under
// the registrant, RIPE puts it on top, LACNIC marks one entity
// ["technical","abuse"], domains put it under the registrar) and returns
// the e-mails of every entity with role "abuse".
func rdapAbuse(ents []rdap.Entity) []rdapFound {
	var out []rdapFound
	var walk func(ents []rdap.Entity, underRegistrar bool, depth int)
	walk = func(ents []rdap.Entity, underRegistrar bool, depth int) {
		if depth > maxEntityDepth {
			return
		}
		for i := range ents {
			e := &ents[i]
			if hasRole(e, "abuse") {
				out = append(out, entityEmails(e, underRegistrar)...)
			}
			walk(e.Entities, underRegistrar || hasRole(e, "registrar"), depth+1)
		}
	}
	walk(ents, false, 0)
	return out
}

func hasRole(e *rdap.Entity, role string) bool {
	return slices.ContainsFunc(e.Roles, func(r string) bool { return strings.EqualFold(r, role) })
}

// entityEmails returns e's e-mails sorted by the vCard "pref" parameter
// (RFC 6350 §5.3: 1 is most preferred; none means least). VCard.Email()
// would return the first one, which for APNIC is the helpdesk.
func entityEmails(e *rdap.Entity, underRegistrar bool) []rdapFound {
	if e.VCard == nil {
		return nil
	}
	type pe struct {
		pref int
		addr string
	}
	var ps []pe
	for _, p := range e.VCard.Get("email") {
		vals := p.Values()
		if len(vals) == 0 {
			continue
		}
		pref := 100
		if v, ok := p.Parameters["pref"]; ok && len(v) > 0 {
			if n, err := strconv.Atoi(v[0]); err == nil && n >= 1 && n <= 100 {
				pref = n
			}
		}
		ps = append(ps, pe{pref, strings.TrimPrefix(vals[0], "mailto:")})
	}
	slices.SortStableFunc(ps, func(a, b pe) int { return a.pref - b.pref })
	ambiguous := len(ps) > 1 && !slices.ContainsFunc(ps, func(p pe) bool { return p.pref < 100 })
	var out []rdapFound
	for i, p := range ps {
		f := rdapFound{handle: e.Handle, rank: i, registrar: underRegistrar, ambiguous: ambiguous}
		a, err := cleanAddress(p.addr)
		switch {
		case err != nil:
			continue
		case isPlaceholder(a):
			f.placeholder = a
		default:
			f.address = a
		}
		out = append(out, f)
	}
	return out
}

// contact turns a found e-mail into a Contact; Address is empty for a
// placeholder.
func (fd rdapFound) contact(role Role, raw RawAnswer) Contact {
	if fd.placeholder != "" {
		return Contact{}
	}
	if fd.registrar {
		role = RoleRegistrar
	}
	conf := confRDAPAbuse - 0.03*float64(min(fd.rank, 5))
	var note string
	switch {
	case role == RoleRegistrar:
		conf = confRegistrar - 0.02*float64(min(fd.rank, 5))
	case fd.ambiguous:
		conf = confRDAPAmbiguous - 0.03*float64(min(fd.rank, 5))
		note = "the abuse entity lists several addresses and no preference; the registry's WHOIS abuse contact is asked too"
	}
	field := "entity " + fd.handle + " role abuse"
	if fd.handle == "" {
		field = "entity role abuse"
	}
	return Contact{Address: fd.address, Role: role, Source: SourceRDAP, Server: raw.Server,
		Confidence: conf, Field: field, Raw: raw.Text, Note: note}
}

// ambiguousAbuse reports whether any network abuse e-mail found is one of
// several without a pref.
func ambiguousAbuse(found []rdapFound) bool {
	return slices.ContainsFunc(found, func(f rdapFound) bool { return f.ambiguous && !f.registrar && f.address != "" })
}

func droppedPlaceholders(found []rdapFound) []string {
	var out []string
	for _, f := range found {
		if f.placeholder != "" {
			out = append(out, f.placeholder)
		}
	}
	return out
}

// rdapTechFallback returns, for a network with no abuse entity, the
// e-mails of its entities with role "technical" (at any depth), marked as
// fallbacks that need review: a technical contact is not an abuse desk.
func rdapTechFallback(ents []rdap.Entity, raw RawAnswer) []Contact {
	var out []Contact
	var walk func(ents []rdap.Entity, depth int)
	walk = func(ents []rdap.Entity, depth int) {
		if depth > maxEntityDepth {
			return
		}
		for i := range ents {
			e := &ents[i]
			if hasRole(e, "technical") && !hasRole(e, "registrar") {
				for _, fd := range entityEmails(e, false) {
					if fd.address == "" {
						continue
					}
					out = append(out, Contact{Address: fd.address, Role: RoleNetwork, Source: SourceRDAP, Server: raw.Server,
						Confidence: confTechFallback, Field: "entity " + fd.handle + " role technical", Raw: raw.Text, NeedsReview: true,
						Note: "needs review: no abuse contact registered; fallback to the technical contact"})
				}
			}
			walk(e.Entities, depth+1)
		}
	}
	walk(ents, 0)
	return out
}
