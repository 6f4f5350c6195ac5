package whoisctx

import "strings"

// findings ranks what the parser collected, strongest evidence first, and
// validates every address (a value with CR/LF or a second address is
// dropped, never cleaned).
func (p *whoisParser) findings() WhoisFindings {
	seen := map[string]bool{}
	add := func(raw, field string, role Role, conf float64, review bool) {
		a, err := cleanAddress(raw)
		if err != nil {
			return
		}
		if isPlaceholder(a) {
			p.out.Placeholders = appendNew(p.out.Placeholders, a)
			return
		}
		if seen[strings.ToLower(a)] {
			return
		}
		seen[strings.ToLower(a)] = true
		p.out.Found = append(p.out.Found, WhoisFound{Address: a, Field: field, Role: role, Confidence: conf, NeedsReview: review})
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
	for _, a := range p.remarks {
		add(a, "remarks", RoleNetwork, confRemarks, true)
	}
	return p.out
}

// arinBest is the most specific ARIN network section that names an abuse
// address (ARIN lists the covering networks too, most specific last).
func (p *whoisParser) arinBest() *arinNet {
	var best *arinNet
	for i := range p.arin {
		n := &p.arin[i]
		if len(n.rAbuse)+len(n.orgAbuse) == 0 {
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
