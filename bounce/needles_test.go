package bounce

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestNeedles(t *testing.T) {
	cases := []struct {
		expr string
		want []string
	}{
		{`spamrl\.com`, []string{"spamrl.com"}},
		{`sorbs\.net|\bSORBS\b`, []string{"sorbs.net", "sorbs"}},
		{`blocked using ([A-Za-z0-9.-]+\.[A-Za-z]{2,})`, []string{"blocked using "}},
		{`\[TSS?0[1-9]\]`, []string{"[ts"}},
		{`a|bcd`, nil},
		{`(?:x)?abcdef`, []string{"abcdef"}},
	}
	for _, c := range cases {
		if got := needles(c.expr); !reflect.DeepEqual(got, c.want) {
			t.Errorf("needles(%q) = %q, want %q", c.expr, got, c.want)
		}
	}
}

// TestNeedlesNeverHideAMatch: on every wording of the tests, a pattern
// that matches has a needle in the text.
func TestNeedlesNeverHideAMatch(t *testing.T) {
	texts := []string{
		"550 The sending IP (213.187.179.198) is listed on https://spamrl.com as a source of dictionary attacks.",
		"554 5.7.1 Service unavailable; Client host [192.0.2.3] blocked using ZEN.SPAMHAUS.ORG",
		"550 5.7.1 IP address BLACKLISTED by recipient",
		"550 Your IP is Listed At rbl.example.net",
		"550 5.7.606 Access denied, BANNED SENDING IP [192.0.2.3]",
		"421 4.7.0 [TSS04] Messages from 192.0.2.3 temporarily deferred",
		"554 AUP#CDRBL", "553 [BL21] x", "550 SC-004 x", "(S3150)", "4.7.650 x",
		"Blacklisted URL in message. (example.com) See http://lookup.URIBL.com",
	}
	for _, p := range DefaultPatterns() {
		for _, text := range texts {
			if p.match.MatchString(text) && !mayMatch(strings.ToLower(text), p.needles) {
				t.Errorf("pattern %s matches %q but its needles %q are not in it", p.Name, text, p.needles)
			}
		}
		if p.needles != nil {
			for _, n := range p.needles {
				if n != strings.ToLower(n) || regexp.QuoteMeta(n) == "" {
					t.Errorf("pattern %s: needle %q", p.Name, n)
				}
			}
		}
	}
}
