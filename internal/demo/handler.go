package demo

import (
	"net"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// ttl of the demo answers: short, as list operators use for listings.
const ttl = 300

// Handler answers DNS queries for the demo zones the way real lists do
// (RFC 5782): an A record 127.0.0.2 and a TXT reason for a listed key,
// NXDOMAIN otherwise; the dead, refusing, parked and broken lists answer
// as such lists did in the wild.
type Handler struct{ zones []Zone }

// NewHandler serves zones.
func NewHandler(zones []Zone) *Handler { return &Handler{zones: zones} }

// ServeDNS implements dns.Handler.
func (h *Handler) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	_ = w.WriteMsg(h.Answer(r))
}

// Answer is the reply to r; a pure function of the zones.
func (h *Handler) Answer(r *dns.Msg) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	if len(r.Question) != 1 {
		m.Rcode = dns.RcodeFormatError
		return m
	}
	q := r.Question[0]
	z, key, ok := h.find(q.Name)
	if !ok {
		m.Rcode = dns.RcodeRefused // not our zone: an authoritative server refuses
		return m
	}
	switch z.Behaviour {
	case Broken:
		m.Rcode = dns.RcodeServerFailure
	case World:
		answerA(m, q, "127.0.0.2", "Listed: every address is (the list's domain is parked)")
	case Refusing:
		answerA(m, q, "127.255.255.254", "Queries through public resolvers are refused")
	case Parked:
		answerA(m, q, parkingAddr, "")
	default:
		txt, listed := z.Entries[key]
		if !listed && testListed(key, z.List.Kind) {
			txt, listed = "RFC 5782 test point", true
		}
		if !listed {
			m.Rcode = dns.RcodeNameError
			m.Ns = []dns.RR{soa(z.List.Zone)}
			return m
		}
		answerA(m, q, "127.0.0.2", txt)
	}
	return m
}

func (h *Handler) find(name string) (Zone, string, bool) {
	for _, z := range h.zones {
		if key, ok := keyOf(name, z.List.Zone, z.List.Kind); ok {
			return z, key, true
		}
	}
	return Zone{}, "", false
}

// answerA answers an A or TXT question; other types get NOERROR with no
// answer, as rbldnsd does.
func answerA(m *dns.Msg, q dns.Question, addr, txt string) {
	hdr := dns.RR_Header{Name: q.Name, Class: dns.ClassINET, Ttl: ttl}
	switch q.Qtype {
	case dns.TypeA:
		hdr.Rrtype = dns.TypeA
		m.Answer = append(m.Answer, &dns.A{Hdr: hdr, A: net.ParseIP(addr).To4()})
	case dns.TypeTXT:
		if txt != "" {
			hdr.Rrtype = dns.TypeTXT
			m.Answer = append(m.Answer, &dns.TXT{Hdr: hdr, Txt: []string{txt}})
		}
	}
}

func soa(zone string) dns.RR {
	z := dns.Fqdn(strings.ToLower(zone))
	return &dns.SOA{Hdr: dns.RR_Header{Name: z, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: ttl},
		Ns: "ns." + z, Mbox: "hostmaster." + z, Serial: 2026112701, Refresh: 3600, Retry: 600, Expire: 86400, Minttl: ttl}
}

// Lists returns the catalogue entries of zones, to configure the checker.
func Lists(zones []Zone) []dnsbl.List {
	out := make([]dnsbl.List, len(zones))
	for i, z := range zones {
		out[i] = z.List
	}
	return out
}
