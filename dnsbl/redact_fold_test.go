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
