package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

func TestAppendResultJSONMatchesEncodingJSON(t *testing.T) {
	odd := "a\"b\\c\x1b[2J <tag> & \u2028 caf\u00e9 \xff\n\t"
	results := []dnsbl.Result{
		{},
		{Target: "192.0.2.1", Query: "192.0.2.1", List: "zen", Zone: "zen.spamhaus.org", Verdict: dnsbl.Listed,
			Codes: []string{"127.0.0.2", "127.0.0.4"}, Meanings: []string{"SBL"}, Reason: "listed: SBL",
			TXT: []string{"https://check.spamhaus.org/"}, Delist: "https://check.spamhaus.org/",
			Checked: time.Date(2026, 11, 27, 8, 0, 0, 123456789, time.UTC)},
		{Target: odd, Query: odd, List: odd, Zone: odd, Verdict: dnsbl.Verdict(odd), Codes: []string{}, Meanings: []string{odd},
			Reason: odd, TXT: []string{odd, ""}, Delist: odd, Checked: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))},
	}
	for _, r := range results {
		want, err := json.MarshalIndent(r, "    ", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if got := appendResultJSON(nil, r); string(got) != string(want) {
			t.Errorf("differs:\n got: %s\nwant: %s", got, want)
		}
	}
}

func FuzzAppendResultJSON(f *testing.F) {
	f.Add("192.0.2.1", "listed: \x1b", "txt \u2028 <b>", int64(0))
	f.Fuzz(func(t *testing.T, q, reason, txt string, nanos int64) {
		r := dnsbl.Result{Target: q, Query: q, Reason: reason, TXT: []string{txt}, Codes: []string{}, Checked: time.Unix(0, nanos).UTC()}
		want, err := json.MarshalIndent(r, "    ", "  ")
		if err != nil {
			return
		}
		if got := appendResultJSON(nil, r); string(got) != string(want) {
			t.Fatalf("differs:\n got: %s\nwant: %s", got, want)
		}
	})
}
