package demo

import (
	"testing"

	"github.com/miekg/dns"
)

func TestHandlerAnswers(t *testing.T) {
	h := NewHandler(Zones(Story{MX: "203.0.113.25"}))
	for _, tc := range []struct {
		name  string
		qtype uint16
		rcode int
		want  string // first answer's data, "" for none
	}{
		{"25.113.0.203.dha.rbl.test.", dns.TypeA, dns.RcodeSuccess, "127.0.0.2"},
		{"25.113.0.203.dha.rbl.test.", dns.TypeTXT, dns.RcodeSuccess, "The sending IP (203.0.113.25) is listed on dha.rbl.test as a source of dictionary attacks."},
		{"2.0.0.127.dha.rbl.test.", dns.TypeA, dns.RcodeSuccess, "127.0.0.2"},
		{"1.0.0.127.dha.rbl.test.", dns.TypeA, dns.RcodeNameError, ""},
		{"25.113.0.203.bl.rbl.test.", dns.TypeA, dns.RcodeNameError, ""},
		{"1.0.0.127.world.rbl.test.", dns.TypeA, dns.RcodeSuccess, "127.0.0.2"},
		{"25.113.0.203.zen.rbl.test.", dns.TypeA, dns.RcodeSuccess, "127.255.255.254"},
		{"25.113.0.203.parked.rbl.test.", dns.TypeA, dns.RcodeSuccess, "198.51.100.80"},
		{"25.113.0.203.broken.rbl.test.", dns.TypeA, dns.RcodeServerFailure, ""},
		{"test.dbl.rbl.test.", dns.TypeA, dns.RcodeSuccess, "127.0.0.2"},
		{"example.com.dbl.rbl.test.", dns.TypeA, dns.RcodeNameError, ""},
		{"example.org.", dns.TypeA, dns.RcodeRefused, ""},
	} {
		q := new(dns.Msg)
		q.SetQuestion(tc.name, tc.qtype)
		m := h.Answer(q)
		got := ""
		if len(m.Answer) > 0 {
			switch rr := m.Answer[0].(type) {
			case *dns.A:
				got = rr.A.String()
			case *dns.TXT:
				got = rr.Txt[0]
			}
		}
		if m.Rcode != tc.rcode || got != tc.want {
			t.Errorf("%s %s: rcode %s answer %q, want %s %q", tc.name, dns.TypeToString[tc.qtype],
				dns.RcodeToString[m.Rcode], got, dns.RcodeToString[tc.rcode], tc.want)
		}
	}
}
