package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// updateHistoryGolden rewrites testdata/history_*.golden.
var updateHistoryGolden = os.Getenv("DNSBLAUDIT_UPDATE_GOLDEN") != ""

// seedHistory records a small history at fixed times: 192.0.2.1 listed on
// zen for two runs then cleared, listed again on bl with a hostile TXT,
// and list "world" turning unhealthy.
func seedHistory(t *testing.T) *state.DB {
	t.Helper()
	db, err := state.Open(context.Background(), filepath.Join(t.TempDir(), "state.db"), state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	t0 := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	obs := func(target, list string, v dnsbl.Verdict, txt ...string) state.Observation {
		return state.Observation{Target: target, List: list, Zone: list + ".example", Verdict: v,
			Codes: []string{"127.0.0.2"}, TXT: txt, Delist: "https://" + list + ".example/remove"}
	}
	runs := [][]state.Observation{
		{obs("192.0.2.1", "zen", dnsbl.Listed, "https://zen.example/query/ip/192.0.2.1"), obs("192.0.2.1", "bl", dnsbl.NotListed)},
		{obs("192.0.2.1", "zen", dnsbl.Listed), obs("192.0.2.1", "bl", dnsbl.NotListed)},
		{obs("192.0.2.1", "zen", dnsbl.NotListed), obs("192.0.2.1", "bl", dnsbl.Listed, "spam\x1b[2J\r\nfrom 192.0.2.1")},
		{obs("192.0.2.1", "zen", dnsbl.NotListed), obs("192.0.2.1", "bl", dnsbl.Listed), obs("198.51.100.7", "bl", dnsbl.NotListed)},
	}
	for i, o := range runs {
		at := t0.Add(time.Duration(i) * time.Hour)
		counts, targets := map[dnsbl.Verdict]int{}, map[string]bool{}
		for _, x := range o {
			counts[x.Verdict]++
			targets[x.Target] = true
		}
		rec := state.Record{Run: state.Run{Source: "watch", Started: at, Finished: at.Add(1500 * time.Millisecond),
			Targets: len(targets), Checks: len(o), Verdicts: counts}, Observations: o}
		if i == 3 {
			rec.Changes = []state.Change{{At: at, Subject: state.SubjectHealth, List: "world", From: "healthy",
				To: "unhealthy", Detail: "lists the canary 240.0.0.1"}}
		}
		if _, err := db.RecordRun(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestHistoryTextGolden(t *testing.T) {
	db := seedHistory(t)
	for name, target := range map[string]string{"all": "", "network": "192.0.2.0/24", "other": "198.51.100.7"} {
		t.Run(name, func(t *testing.T) {
			sel, err := parseHistoryTarget(target)
			if err != nil {
				t.Fatal(err)
			}
			h, err := loadHistory(context.Background(), db, sel, "")
			if err != nil {
				t.Fatal(err)
			}
			if name == "all" {
				h.Recent, _ = db.Runs(context.Background(), 2)
			}
			var b bytes.Buffer
			writeHistoryText(&b, h)
			golden := filepath.Join("testdata", "history_"+name+".golden")
			if updateHistoryGolden {
				os.MkdirAll("testdata", 0o755)
				os.WriteFile(golden, b.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (set DNSBLAUDIT_UPDATE_GOLDEN=1 to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("history text differs from %s:\n%s", golden, b.String())
			}
			if bytes.ContainsAny(b.Bytes(), "\x1b\r") {
				t.Errorf("control characters from TXT reached the output")
			}
		})
	}
}

func TestParseHistoryTarget(t *testing.T) {
	for in, want := range map[string]string{"192.0.2.1": "192.0.2.1", "2001:DB8::1": "2001:db8::1", "Example.ORG.": "example.org"} {
		sel, err := parseHistoryTarget(in)
		if err != nil || sel.exact != want {
			t.Errorf("%q: %+v, %v", in, sel, err)
		}
	}
	if _, err := parseHistoryTarget("192.0.2.0/33"); err == nil {
		t.Error("bad prefix accepted")
	}
}
