package dnsbl

import "testing"

func TestRedactAnyCase(t *testing.T) {
	l := &list{key: "AbC123"}
	cases := map[string]string{
		"1.2.0.192.abc123.zen.dq.test.": "1.2.0.192.REDACTED.zen.dq.test.",
		"ABC123 and AbC123 and abc123":  "REDACTED and REDACTED and REDACTED",
		"caf\u00e9 abc123 \xff":         "caf\u00e9 REDACTED \xff",
		"nothing here":                  "nothing here",
	}
	for in, want := range cases {
		if got := l.redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitDQSKey(t *testing.T) {
	cases := []struct{ in, zone, key string }{
		{"abc123.zen.dq.spamhaus.net", "{key}.zen.dq.spamhaus.net", "abc123"},
		{"ABC123.dbl.DQ.Spamhaus.com", "{key}.dbl.DQ.Spamhaus.com", "ABC123"},
		{"{key}.zen.dq.spamhaus.net", "{key}.zen.dq.spamhaus.net", ""},
		{"zen.spamhaus.org", "zen.spamhaus.org", ""},
		{"zen.dq.spamhaus.net", "zen.dq.spamhaus.net", ""},
		{"a.b.zen.dq.spamhaus.net", "a.b.zen.dq.spamhaus.net", ""},
	}
	for _, c := range cases {
		if z, k := splitDQSKey(c.in); z != c.zone || k != c.key {
			t.Errorf("splitDQSKey(%q) = %q, %q; want %q, %q", c.in, z, k, c.zone, c.key)
		}
	}
}
