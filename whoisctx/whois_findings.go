package whoisctx

import "strings"

// findings ranks what the parser collected, strongest evidence first, and
// validates every address (a value with CR/LF or a second address is
// dropped, never cleaned).
func (p *whoisParser) findings() WhoisFindings {
	seen := map[string]bool{}
	add := func(raw, field string, role Role, conf float64, review bool) bool {
		a, err := cleanAddress(raw)
		if err != nil {
			return false
		}
		if isPlaceholder(a) {
			p.out.Placeholders = appendNew(p.out.Placeholders, a)
			return false
		}
		if seen[strings.ToLower(a)] {
			return false
		}
		seen[strings.ToLower(a)] = true
		p.out.Found = append(p.out.Found, WhoisFound{Address: a, Field: field, Role: role, Confidence: conf, NeedsReview: review})
		return true
	}
	for _, a := range p.abuseFor {
		add(a, "% Abuse contact for", RoleNetwork, confAbuseContactFor, false)
	}
	if n := p.arinBest(); n != nil {
		for _, a := range n.rAbuse {
			add(a, "RAbuseEmail", RoleNetwork, confRAbuse, false)
		}
		for _, a := range n.orgAbuse {
			add(a, "OrgAbuseEmail", RoleNetwork, confOrgAbuse, false)
		}
	}
	for _, a := range p.abuseMail {
		add(a, "abuse-mailbox", RoleNetwork, confAbuseMailbox, false)
	}
	if len(p.out.Found) == 0 {
		for _, h := range p.abuseC {
			for _, a := range p.handleMail[h] {
				add(a, "abuse-c "+h+" e-mail", RoleNetwork, confAbuseHandle, false)
			}
		}
	}
	for _, a := range p.registrar {
		add(a, "Registrar Abuse Contact Email", RoleRegistrar, confRegistrar, false)
	}
	if len(p.out.Found) == 0 {
		p.fallbacks(add)
	}
	for _, a := range p.remarks {
		add(a, "remarks", RoleNetwork, confRemarks, true)
	}
	return p.out
}

// fallbacks adds, when the answer names no abuse contact at all, the
// addresses an abuse desk would try next: the irt's e-mail, then the
// network's technical contacts (ARIN RTechEmail/OrgTechEmail, tech-c
// handles). They are not abuse desks, so they need review.
func (p *whoisParser) fallbacks(add func(raw, field string, role Role, conf float64, review bool) bool) {
	fallback := func(raw, field string, conf float64) {
		if add(raw, field, RoleNetwork, conf, true) {
			p.out.Found[len(p.out.Found)-1].Fallback = true
		}
	}
	for _, a := range p.irtMail {
		fallback(a, "irt e-mail", confIrtFallback)
	}
	if n := p.arinMostSpecific(func(n *arinNet) bool { return len(n.tech) > 0 }); n != nil {
		for _, kv := range n.tech {
			fallback(kv.value, kv.key, confTechFallback)
		}
	}
	for _, h := range p.techC {
		for _, a := range p.handleMail[h] {
			fallback(a, "tech-c "+h+" e-mail", confTechFallback)
		}
	}
}

// arinBest is the most specific ARIN network section that names an abuse
// address (ARIN lists the covering networks too, most specific last).
func (p *whoisParser) arinBest() *arinNet {
	return p.arinMostSpecific(func(n *arinNet) bool { return len(n.rAbuse)+len(n.orgAbuse) > 0 })
}

// arinMostSpecific is the smallest ARIN network section for which ok holds.
func (p *whoisParser) arinMostSpecific(ok func(*arinNet) bool) *arinNet {
	var best *arinNet
	for i := range p.arin {
		n := &p.arin[i]
		if !ok(n) {
			continue
		}
		if best == nil || !n.first.IsValid() || !best.first.IsValid() ||
			rangeSize(n.first, n.last) <= rangeSize(best.first, best.last) {
			best = n
		}
	}
	return best
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
