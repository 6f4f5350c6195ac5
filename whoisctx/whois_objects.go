package whoisctx

import (
	"net/netip"
	"regexp"
	"strings"
)

// readObject dispatches each key of one object.
func (p *whoisParser) readObject(o whoisObject) {
	var handles, mails, abuseC []string
	irt := len(o) > 0 && strings.EqualFold(o[0].key, "irt")
	for _, kv := range o {
		key := strings.ToLower(kv.key)
		switch key {
		case "netrange", "inetnum", "inet6num", "cidr":
			p.readRange(key, kv.value)
		case "netname":
			p.readNetName(kv.value)
		case "abuse-mailbox":
			p.abuseMail = append(p.abuseMail, kv.value)
		case "rabuseemail":
			p.arinAbuse(kv.value, true)
		case "orgabuseemail":
			p.arinAbuse(kv.value, false)
		case "abuse-c":
			abuseC = append(abuseC, kv.value)
		case "tech-c":
			p.techC = append(p.techC, strings.ToUpper(strings.TrimSpace(kv.value)))
		case "rtechemail", "orgtechemail":
			p.arinTech(kv)
		case "nic-hdl", "nic-hdl-br":
			handles = append(handles, strings.ToUpper(kv.value))
		case "e-mail", "email":
			mails = append(mails, kv.value)
		case "remarks", "descr", "comment":
			p.remarks = append(p.remarks, emailInText.FindAllString(kv.value, -1)...)
			p.readTransfer(kv.value)
		case "registrar abuse contact email":
			p.registrar = append(p.registrar, kv.value)
		case "referralserver", "refer", "whois", "registrar whois server":
			if p.out.Referral == "" {
				p.out.Referral = kv.value
			}
		}
	}
	for _, h := range handles {
		p.handleMail[h] = append(p.handleMail[h], mails...)
	}
	if irt {
		p.irtMail = append(p.irtMail, mails...)
	}
	for _, h := range abuseC {
		p.abuseC = append(p.abuseC, strings.ToUpper(strings.TrimSpace(h)))
	}
}

// readRange keeps the most specific range seen; an ARIN NetRange also
// starts a new network section.
func (p *whoisParser) readRange(key, v string) {
	first, last, ok := parseRange(v)
	if !ok {
		return
	}
	if key == "netrange" {
		p.arin = append(p.arin, arinNet{first: first, last: last})
	}
	if key == "cidr" && len(p.arin) > 0 {
		return // the NetRange of the same section already covers it
	}
	if !p.out.First.IsValid() || rangeSmaller(first, last, p.out.First, p.out.Last) {
		p.out.First, p.out.Last = first, last
	}
}

func (p *whoisParser) readNetName(v string) {
	if len(p.arin) > 0 {
		p.arin[len(p.arin)-1].name = v
	}
	if p.out.NetName == "" || len(p.arin) > 0 {
		p.out.NetName = v
	}
	if strings.HasPrefix(strings.ToUpper(v), "STUB-") {
		p.out.Stub = true
	}
}

// arinAbuse files an ARIN abuse e-mail under the current network section.
func (p *whoisParser) arinAbuse(v string, network bool) {
	n := p.arinSection()
	if network {
		n.rAbuse = append(n.rAbuse, v)
	} else {
		n.orgAbuse = append(n.orgAbuse, v)
	}
}

// arinTech files an ARIN tech e-mail under the current network section.
func (p *whoisParser) arinTech(kv whoisKV) {
	n := p.arinSection()
	n.tech = append(n.tech, kv)
}

// arinSection is the current ARIN network section (the last NetRange
// read), begun empty when the answer has given none yet.
func (p *whoisParser) arinSection() *arinNet {
	if len(p.arin) == 0 {
		p.arin = append(p.arin, arinNet{})
	}
	return &p.arin[len(p.arin)-1]
}

// parseRange reads "a - b" or a CIDR (also registro.br's "200.160.0.0/20"
// and LACNIC's abbreviated "200.3.12/22").
func parseRange(v string) (netip.Addr, netip.Addr, bool) {
	v = strings.TrimSpace(v)
	if a, b, ok := strings.Cut(v, "-"); ok {
		return parseRangeEnds(a, firstField(b))
	}
	return parseCIDRRange(firstField(v))
}

// firstField is the first space- or comma-separated token of s.
func firstField(s string) string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func parseRangeEnds(a, b string) (netip.Addr, netip.Addr, bool) {
	first, err1 := netip.ParseAddr(strings.TrimSpace(a))
	last, err2 := netip.ParseAddr(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || first.BitLen() != last.BitLen() || last.Less(first) {
		return netip.Addr{}, netip.Addr{}, false
	}
	return first, last, true
}

func parseCIDRRange(v string) (netip.Addr, netip.Addr, bool) {
	addr, bits, ok := strings.Cut(v, "/")
	if ok && strings.Count(addr, ".") < 3 && !strings.Contains(addr, ":") && addr != "" {
		addr += strings.Repeat(".0", 3-strings.Count(addr, "."))
		v = addr + "/" + bits
	}
	p, err := netip.ParsePrefix(v)
	if err != nil {
		return netip.Addr{}, netip.Addr{}, false
	}
	p = p.Masked()
	return p.Addr(), lastAddr(p), true
}

// rangeSmaller reports whether [a1,a2] holds fewer addresses than [b1,b2].
func rangeSmaller(a1, a2, b1, b2 netip.Addr) bool {
	return rangeSize(a1, a2) < rangeSize(b1, b2)
}

// rangeSize is the number of leading bits the two ends share, negated: a
// proxy for size that works for IPv4 and IPv6 alike.
func rangeSize(a, b netip.Addr) int {
	if a.BitLen() != b.BitLen() {
		return 1 << 20
	}
	x, y := a.AsSlice(), b.AsSlice()
	common := 0
	for i := range x {
		d := x[i] ^ y[i]
		if d == 0 {
			common += 8
			continue
		}
		for d&0x80 == 0 {
			common++
			d <<= 1
		}
		break
	}
	return a.BitLen() - common
}

var transferredTo = regexp.MustCompile(`(?i)transferred to the (ARIN|RIPE|RIPE NCC|APNIC|LACNIC|AFRINIC) region`)

// readTransfer notes APNIC's "Transferred to the ARIN region" descr.
func (p *whoisParser) readTransfer(v string) {
	m := transferredTo.FindStringSubmatch(v)
	if m == nil {
		return
	}
	r := strings.ToLower(strings.Fields(m[1])[0])
	if r == "ripe" {
		r = "ripencc"
	}
	p.out.TransferredTo = r
}
