package main

import (
	"encoding/json"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// appendResultJSON appends r exactly as json.MarshalIndent(r, "    ", "  ")
// would (a test holds it to that), without reflection: the results are
// most of the document, and encoding them by reflection cost a fifth of a
// large run's CPU.
func appendResultJSON(b []byte, r dnsbl.Result) []byte {
	const in = "\n      "
	b = append(b, '{')
	b = appendField(b, in, "target", r.Target)
	b = appendField(b, in, "query", r.Query)
	b = appendField(b, in, "list", r.List)
	b = appendField(b, in, "zone", r.Zone)
	b = appendField(b, in, "verdict", string(r.Verdict))
	b = appendListField(b, in, "codes", r.Codes)
	b = appendListField(b, in, "meanings", r.Meanings)
	b = appendField(b, in, "reason", r.Reason)
	if r.Severity != "" {
		b = appendField(b, in, "severity", string(r.Severity))
	}
	b = appendListField(b, in, "txt", r.TXT)
	if r.Delist != "" {
		b = appendField(b, in, "delist_url", r.Delist)
	}
	b = append(b, in...)
	b = append(b, `"checked": `...)
	b = appendTime(b, r.Checked)
	return append(b, "\n    }"...)
}

func appendField(b []byte, indent, name, value string) []byte {
	b = append(b, indent...)
	b = append(b, '"')
	b = append(b, name...)
	b = append(b, `": `...)
	b = appendJSONString(b, value)
	return append(b, ',')
}

func appendListField(b []byte, indent, name string, values []string) []byte {
	b = append(b, indent...)
	b = append(b, '"')
	b = append(b, name...)
	b = append(b, `": `...)
	switch {
	case values == nil:
		b = append(b, "null"...)
	case len(values) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		for i, v := range values {
			b = append(b, indent...)
			b = append(b, "  "...)
			b = appendJSONString(b, v)
			if i < len(values)-1 {
				b = append(b, ',')
			}
		}
		b = append(b, indent...)
		b = append(b, ']')
	}
	return append(b, ',')
}

// appendJSONString writes plain printable ASCII directly and leaves every
// other string to encoding/json, so escaping (control characters, HTML
// characters, U+2028, invalid UTF-8) is exactly the standard library's.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y >= 10000 {
		q, _ := json.Marshal(t) // out of RFC 3339's range: let encoding/json report it as it does
		return append(b, q...)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}
