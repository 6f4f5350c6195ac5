package dnsbl

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"gopkg.in/yaml.v3"
)

// FuzzClassifyAnswer feeds raw DNS messages (what a list's server, or a
// spoofer, could send) through the same path as real answers.
func FuzzClassifyAnswer(f *testing.F) {
	q := "1.2.0.192.zen.spamhaus.org."
	for _, codes := range [][]string{nil, {"127.0.0.2"}, {"127.0.0.2", "127.0.0.4"}, {"127.255.255.254"}, {"146.112.61.108"}} {
		m := answerMsg(q, dns.RcodeSuccess, codes...)
		if b, err := m.Pack(); err == nil {
			f.Add(b)
		}
	}
	nx := answerMsg(q, dns.RcodeNameError)
	b, _ := nx.Pack()
	f.Add(b)
	zen, _ := DefaultCatalogue().Lookup("spamhaus-zen")
	l, err := compileList(zen, "fuzz", func(string) string { return "" })
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := new(dns.Msg)
		if m.Unpack(raw) != nil {
			return
		}
		for _, useRule := range []bool{true, false} {
			a := classify(l, m, q, useRule)
			switch a.verdict {
			case Listed:
				for _, c := range a.codes {
					if !loopback8.Contains(c) {
						t.Fatalf("listed with code %s outside 127/8", c)
					}
					if _, refused := l.refusal(c); refused {
						t.Fatalf("listed with refusal code %s", c)
					}
				}
				if len(a.codes) == 0 {
					t.Fatal("listed without a code")
				}
			case NotListed, Refused, Bogus, Error:
			default:
				t.Fatalf("verdict %q", a.verdict)
			}
		}
		txtStrings(m, q)
	})
}

// FuzzParseRule: any rule text either fails cleanly or matches without
// panicking.
func FuzzParseRule(f *testing.F) {
	for _, s := range []string{"=127.0.0.2", "==127.0.0.2,127.0.0.3", "!=127.0.0.10", "&0.0.0.8", "!&8", "=127.0.0.2-127.0.0.11", "=127.255.255.0/24", ""} {
		f.Add(s)
	}
	codes := []netip.Addr{netip.MustParseAddr("127.0.0.2"), netip.MustParseAddr("127.0.0.10")}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			return
		}
		r.MatchAll(codes)
		r.MatchAll(nil)
	})
}

// FuzzConfig decodes a dnsbl configuration section as the config package
// does (strictly) and builds the lists from it; errors must name a field
// and nothing may panic.
func FuzzConfig(f *testing.F) {
	f.Add([]byte("resolver: 127.0.0.1:53\ntimeout: 2s\nlists:\n  - name: mine\n    zone: bl.example\n    kind: ipv6\n    match: \"=127.0.0.2\"\n    codes:\n      - {code: 127.0.0.2, meaning: spam}\n"))
	f.Add([]byte("only: [spamhaus-zen, sorbs]\n"))
	f.Add([]byte("lists:\n  - name: dqs\n    zone: \"{key}.zen.dq.example\"\n    key: abc\n    refusals: [{code: \"&0.0.0.1\"}]\n"))
	f.Add([]byte("enable: [dnswl]\ndisable: [spamcop]\nconcurrency: 5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cfg Config
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if dec.Decode(&cfg) != nil {
			return
		}
		if err := cfg.Validate(); err != nil {
			if !strings.Contains(err.Error(), "dnsbl") {
				t.Fatalf("error does not name the section: %v", err)
			}
			return
		}
		sel, err := selectLists(cfg.withDefaults(), DefaultCatalogue(), func(string) string { return "" })
		if err != nil {
			return
		}
		for _, l := range sel.lists {
			testPoints(l)
		}
	})
}

// FuzzParseTarget: targets come from the command line and config files.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "2001:db8::1", "198.51.100.0/28", "mail.example.org", "bücher.example", "::ffff:7f00:2", "10.0.0.0/8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			return
		}
		if n := len(tg.Addrs()); n > 1<<(32-MinIPv4PrefixBits) {
			t.Fatalf("%q expands to %d addresses", s, n)
		}
		if tg.Kind == TargetName {
			if _, ok := DomainQueryName(tg.Name, "dbl.example"); !ok && len(tg.Name) < 200 {
				t.Fatalf("name %q parsed but cannot be queried", tg.Name)
			}
		}
	})
}
