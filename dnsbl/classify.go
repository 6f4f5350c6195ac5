package dnsbl

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// loopback8 is where every DNSBL return code lives (RFC 5782 §2.1). Exim
// ignores answers outside it for the reason that makes them "bogus": a list
// whose domain expired or was parked answers with a web server's address.
var loopback8 = netip.MustParsePrefix("127.0.0.0/8")

// answer is the classification of one A lookup.
type answer struct {
	verdict  Verdict
	codes    []netip.Addr
	meanings []string
	reason   string
}

// classify turns a NOERROR or NXDOMAIN answer to qname into a verdict for
// list l. With useRule false (health test points) the list's Match rule is
// ignored: any code in 127/8 that is not a refusal counts as listed.
func classify(l *list, m *dns.Msg, qname string, useRule bool) answer {
	switch m.Rcode {
	case dns.RcodeNameError:
		return answer{verdict: NotListed, reason: "not listed (NXDOMAIN)"}
	case dns.RcodeSuccess:
	default:
		return answer{verdict: Error, reason: "rcode " + rcodeName(m.Rcode)}
	}
	codes := aRecords(m, qname)
	a := answer{codes: codes}
	if len(codes) == 0 {
		a.verdict, a.reason = NotListed, "not listed (no A record)"
		return a
	}
	for _, c := range codes {
		if !loopback8.Contains(c) {
			a.verdict = Bogus
			a.reason = fmt.Sprintf("answer %s is outside 127.0.0.0/8: not a DNSBL code (the list's domain may have expired or been parked)", c)
			return a
		}
	}
	for _, c := range codes {
		if why, ok := l.refusal(c); ok {
			a.verdict, a.reason = Refused, why
			return a
		}
	}
	a.meanings = meanings(l, codes)
	if useRule && !l.rule.MatchAll(codes) {
		a.verdict = NotListed
		a.reason = fmt.Sprintf("not listed: code %s does not match rule %s", joinAddrs(codes), l.rule)
		return a
	}
	a.verdict, a.reason = Listed, listedReason(l, codes, a.meanings)
	return a
}

func listedReason(l *list, codes []netip.Addr, meanings []string) string {
	prefix := "listed"
	if l.def.Allowlist {
		prefix = "allowlisted"
	}
	switch {
	case len(meanings) == 0 && len(l.codes) == 0:
		return fmt.Sprintf("%s (code %s)", prefix, joinAddrs(codes)) // a list without documented codes
	case len(meanings) == 0:
		return fmt.Sprintf("%s (code %s, not among the list's documented codes)", prefix, joinAddrs(codes))
	}
	return fmt.Sprintf("%s: %s", prefix, strings.Join(meanings, "; "))
}

// meanings returns the distinct documented meanings of codes, in order.
func meanings(l *list, codes []netip.Addr) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		if m := l.meaning(c); m != "" && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

// aRecords returns every A record answering qname, in answer order,
// following CNAMEs (RFC 1034 §3.6.2). Every record is kept: keeping only
// the first makes verdicts flap (dnsbl_exporter #381).
func aRecords(m *dns.Msg, qname string) []netip.Addr {
	names := answerNames(m, qname)
	var out []netip.Addr
	for _, rr := range m.Answer {
		if a, ok := rr.(*dns.A); ok && names[strings.ToLower(a.Hdr.Name)] {
			if addr, ok := netip.AddrFromSlice(a.A.To4()); ok {
				out = append(out, addr)
			}
		}
	}
	return out
}

// answerNames returns qname and every name its CNAME chain in m leads to,
// lower-cased (RFC 4343), whatever order the CNAMEs come in.
func answerNames(m *dns.Msg, qname string) map[string]bool {
	names := map[string]bool{strings.ToLower(qname): true}
	for range len(m.Answer) {
		grew := false
		for _, rr := range m.Answer {
			if c, ok := rr.(*dns.CNAME); ok && names[strings.ToLower(c.Hdr.Name)] && !names[strings.ToLower(c.Target)] {
				names[strings.ToLower(c.Target)] = true
				grew = true
			}
		}
		if !grew {
			break
		}
	}
	return names
}

// txtStrings returns each TXT record answering qname, its strings
// concatenated (a long reason is split in 255-octet strings, RFC 1035 §3.3.14).
func txtStrings(m *dns.Msg, qname string) []string {
	var out []string
	for _, rr := range m.Answer {
		if t, ok := rr.(*dns.TXT); ok && strings.EqualFold(t.Hdr.Name, qname) {
			var b strings.Builder
			for _, part := range t.Txt {
				b.WriteString(unescapeTXT(part))
			}
			out = append(out, b.String())
		}
	}
	return out
}

func joinAddrs(as []netip.Addr) string {
	return strings.Join(addrStrings(as), ", ")
}

func addrStrings(as []netip.Addr) []string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return s
}

func rcodeName(rc int) string {
	if s, ok := dns.RcodeToString[rc]; ok {
		return s
	}
	return fmt.Sprintf("%d", rc)
}

// unescapeTXT undoes miekg/dns's presentation escapes (\DDD for octets
// outside printable ASCII, \" and \\), giving the record's raw octets;
// the caller makes them safe to print.
func unescapeTXT(s string) string {
	if !strings.Contains(s, "\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			n := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			if n <= 255 {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
