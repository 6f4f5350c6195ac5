package investigate

import (
	"bytes"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
	"strings"
	"testing"
	"unicode"
)

// FuzzParseJSON: a case.json from anywhere is read or refused, never a
// panic.
func FuzzParseJSON(f *testing.F) {
	c, _ := storyCase(3)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, c); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"schema":"dnsblaudit.case/v1","evidence":{"probers":[{"ip":1}]}}`))
	f.Add([]byte(`{"schema":"other"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseJSON("fuzz", data)
		if err == nil && got.Schema != Schema {
			t.Fatalf("accepted schema %q", got.Schema)
		}
	})
}

// FuzzReports: text from strangers (a HELO name, a TXT record, a log line)
// never reaches the reports raw: no markup in the HTML, no control
// characters in either report.
func FuzzReports(f *testing.F) {
	f.Add("mx42.filter.example", "source of dictionary attacks", "Nov 20 12:50:06 gw spamd[1]: x")
	f.Add("<script>alert(1)</script>", "\x1b[2J\u202e", "```\n# title\n| a |")
	f.Add("\"><img src=x onerror=1>", "javascript:alert(1)", "<svg onload=1>")
	f.Fuzz(func(t *testing.T, helo, txt, raw string) {
		c, _ := storyCase(2)
		c.Evidence.Probers[0].HeloNames = []string{helo}
		c.Evidence.Probers[0].Events[0].Lines[0].Raw = raw
		c.Listings[0].TXT = []string{txt}
		c.Hypothesis = Explain(c.Listings, c.Evidence)
		// The outbound side carries strangers' text too: sender names and
		// raw lines reach the explanations' facts and the senders table.
		at := t0
		sample := []outbound.Line{{File: "maillog", Line: 1, Raw: raw}}
		c.Outbound = &outbound.Report{Read: true, Deliveries: outbound.Tally{Count: 1, First: &at, Last: &at},
			Bounces: outbound.Bounces{Generated: 6, Remote: outbound.Tally{Count: 6, First: &at, Last: &at, Samples: sample}, Samples: sample},
			Senders: []outbound.Sender{{Sender: helo, Remote: outbound.Tally{Count: 1, Samples: sample}, Days: []outbound.Day{{Day: "2026-11-20", Count: 1}}}}}
		c.Explanations = Weigh(Evidence{Listings: c.Listings, Received: c.Evidence, Outbound: c.Outbound})
		c.Timeline = Timeline(c)
		var html, md bytes.Buffer
		if err := WriteHTML(&html, c); err != nil {
			t.Fatal(err)
		}
		if err := WriteMarkdown(&md, c); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script", "<img", "<svg onload"} {
			if strings.Contains(strings.ToLower(html.String()), bad) {
				t.Fatalf("report.html carries %q", bad)
			}
		}
		for name, out := range map[string]string{"html": html.String(), "md": md.String()} {
			for _, r := range out {
				if unicode.IsControl(r) && r != '\n' && r != '\t' {
					t.Fatalf("report.%s carries control character %U", name, r)
				}
			}
		}
	})
}
