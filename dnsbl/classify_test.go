package dnsbl

import (
	"net"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func mustList(t *testing.T, def List) *list {
	t.Helper()
	l, err := compileList(def, "test", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func answerMsg(qname string, rcode int, codes ...string) *dns.Msg {
	m := new(dns.Msg)
	m.SetQuestion(qname, dns.TypeA)
	m.Response, m.Rcode = true, rcode
	for _, c := range codes {
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: qname, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP(c)})
	}
	return m
}

// TestRefusalCodes: every documented refusal is a refusal, never a listing.
func TestRefusalCodes(t *testing.T) {
	cat := DefaultCatalogue()
	tests := []struct {
		list, code, why string
	}{
		{"spamhaus-zen", "127.255.255.252", "typo"},
		{"spamhaus-zen", "127.255.255.254", "public or open resolver"},
		{"spamhaus-zen", "127.255.255.255", "excessive"},
		{"spamhaus-zen", "127.255.255.1", "reserved for errors"},
		{"spamhaus-dbl", "127.0.1.255", "IP queries"},
		{"uribl", "127.0.0.1", "blocks this querier"},
		{"dnswl", "127.0.0.255", "refuses this querier"},
		{"senderscore", "127.255.255.255", "register"},
		{"spamcop", "127.255.255.254", "public or open resolver"}, // default refusals
	}
	for _, tt := range tests {
		def, ok := cat.Lookup(tt.list)
		if !ok {
			t.Fatalf("catalogue has no %s", tt.list)
		}
		l := mustList(t, def)
		q := "2.0.0.127." + l.zone
		a := classify(l, answerMsg(q, dns.RcodeSuccess, tt.code), q, true)
		if a.verdict != Refused || !strings.Contains(a.reason, tt.why) {
			t.Errorf("%s %s: %s %q, want refused (%s)", tt.list, tt.code, a.verdict, a.reason, tt.why)
		}
	}
}

func TestClassify(t *testing.T) {
	zen, _ := DefaultCatalogue().Lookup("spamhaus-zen")
	l := mustList(t, zen)
	strict := mustList(t, List{Name: "strict", Zone: "zen.example", Match: "=127.0.0.2,127.0.0.3,127.0.0.4", Codes: zen.Codes})
	q := "1.2.0.192." + l.zone
	tests := []struct {
		name   string
		l      *list
		msg    *dns.Msg
		want   Verdict
		reason string
	}{
		{"nxdomain", l, answerMsg(q, dns.RcodeNameError), NotListed, "NXDOMAIN"},
		{"nodata", l, answerMsg(q, dns.RcodeSuccess), NotListed, "no A record"},
		{"sbl", l, answerMsg(q, dns.RcodeSuccess, "127.0.0.2"), Listed, "SBL"},
		{"sbl+pbl", l, answerMsg(q, dns.RcodeSuccess, "127.0.0.2", "127.0.0.10"), Listed, "PBL (ISP"},
		{"undocumented", l, answerMsg(q, dns.RcodeSuccess, "127.0.0.77"), Listed, "not among the list's documented codes"},
		{"bogus", l, answerMsg(q, dns.RcodeSuccess, "146.112.61.108"), Bogus, "outside 127.0.0.0/8"},
		{"bogus among codes", l, answerMsg(q, dns.RcodeSuccess, "127.0.0.2", "10.0.0.1"), Bogus, "10.0.0.1"},
		{"refused", l, answerMsg(q, dns.RcodeSuccess, "127.255.255.254"), Refused, "public"},
		{"rule excludes pbl", strict, answerMsg(q, dns.RcodeSuccess, "127.0.0.10"), NotListed, "does not match rule"},
		{"rule keeps sbl", strict, answerMsg(q, dns.RcodeSuccess, "127.0.0.10", "127.0.0.2"), Listed, "SBL"},
		{"servfail", l, answerMsg(q, dns.RcodeServerFailure), Error, "SERVFAIL"},
	}
	for _, tt := range tests {
		a := classify(tt.l, tt.msg, q, true)
		if a.verdict != tt.want || !strings.Contains(a.reason, tt.reason) {
			t.Errorf("%s: %s %q, want %s containing %q", tt.name, a.verdict, a.reason, tt.want, tt.reason)
		}
	}
}

func TestClassifyKeepsEveryRecordInOrder(t *testing.T) {
	l := mustList(t, List{Name: "x", Zone: "x.example"})
	q := "2.0.0.127.x.example."
	m := answerMsg(q, dns.RcodeSuccess, "127.0.0.4", "127.0.0.2", "127.0.0.3")
	a := classify(l, m, q, true)
	if got := joinAddrs(a.codes); got != "127.0.0.4, 127.0.0.2, 127.0.0.3" {
		t.Errorf("codes = %s", got)
	}
}

func TestClassifyFollowsCNAME(t *testing.T) {
	l := mustList(t, List{Name: "x", Zone: "x.example"})
	q := "2.0.0.127.x.example."
	m := answerMsg("other.x.example.", dns.RcodeSuccess, "127.0.0.2")
	m.Question[0].Name = q
	m.Answer = append([]dns.RR{&dns.CNAME{Hdr: dns.RR_Header{Name: q, Rrtype: dns.TypeCNAME, Class: dns.ClassINET}, Target: "other.x.example."}}, m.Answer...)
	if a := classify(l, m, q, true); a.verdict != Listed {
		t.Errorf("CNAME'd listing: %+v", a)
	}
	// A records for some other name are not an answer to ours.
	stray := answerMsg("3.0.0.127.x.example.", dns.RcodeSuccess, "127.0.0.2")
	if a := classify(l, stray, q, true); a.verdict != NotListed {
		t.Errorf("stray A record: %+v", a)
	}
}

func TestUnescapeTXT(t *testing.T) {
	tests := map[string]string{
		`plain`:                "plain",
		`a\"quoted\" \\ slash`: `a"quoted" \ slash`,
		`esc\027[2J`:           "esc\x1b[2J",
		`utf8 \195\169`:        "utf8 é",
		`bad \999 tail\`:       `bad 999 tail\`,
	}
	for in, want := range tests {
		if got := unescapeTXT(in); got != want {
			t.Errorf("unescapeTXT(%q) = %q, want %q", in, got, want)
		}
	}
}
