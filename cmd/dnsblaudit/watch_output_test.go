package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

func sampleWatchReport() *watch.Report {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	return &watch.Report{RunID: 42, Started: at.Add(-2 * time.Second), Finished: at, Targets: 16, Lists: 3,
		Counts: map[dnsbl.Verdict]int{dnsbl.Listed: 1, dnsbl.NotListed: 30, dnsbl.Unknown: 16, dnsbl.Error: 1},
		Changes: []watch.Change{
			{Kind: watch.Listed, Target: "198.51.100.3", Asked: "198.51.100.0/28", List: "zen", Zone: "zen.example",
				From: "not_listed", To: "listed", Since: at.Add(-time.Hour), At: at, Runs: 2, Verdict: dnsbl.Listed,
				Codes: []string{"127.0.0.4"}, Meanings: []string{"XBL: exploited host"},
				TXT: []string{"https://zen.example/query/ip/198.51.100.3\x1b[2J"}, Delist: "https://zen.example/remove"},
			{Kind: watch.Unhealthy, List: "world", Zone: "world.example", From: "healthy", To: "unhealthy",
				Since: at.Add(-time.Hour), At: at, Runs: 2, Reason: "lists the canary 240.0.0.1"},
			{Kind: watch.Unknown, Target: "192.0.2.1", List: "bl", Zone: "bl.example", From: "not_listed", To: "unknown",
				Since: at.Add(-25 * time.Hour), At: at, Verdict: dnsbl.Error, Reason: "timeout after 3 tries"},
		}}
}

func TestWatchOutputGolden(t *testing.T) {
	for _, f := range []string{"text", "json"} {
		t.Run(f, func(t *testing.T) {
			var out, errb bytes.Buffer
			p := &watchPrinter{w: &out, errw: &errb, format: f, summary: true}
			p.report(sampleWatchReport())
			golden := filepath.Join("testdata", "watch_"+f+".golden")
			if updateHistoryGolden {
				os.WriteFile(golden, out.Bytes(), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (set DNSBLAUDIT_UPDATE_GOLDEN=1 to create it)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("output differs from %s:\n%s", golden, out.String())
			}
		})
	}
}

func TestWatchExitStatus(t *testing.T) {
	p := &watchPrinter{w: &bytes.Buffer{}, errw: &bytes.Buffer{}, format: "text"}
	cases := []struct {
		rep  *watch.Report
		code int
	}{
		{&watch.Report{Counts: map[dnsbl.Verdict]int{dnsbl.NotListed: 3}}, exitOK},
		{&watch.Report{Counts: map[dnsbl.Verdict]int{dnsbl.NotListed: 2, dnsbl.Error: 1}}, exitWarning},
		{&watch.Report{Counts: map[dnsbl.Verdict]int{dnsbl.NotListed: 3}, Warnings: []string{"mx.example: no address"}}, exitWarning},
		{&watch.Report{Counts: map[dnsbl.Verdict]int{dnsbl.Listed: 1, dnsbl.Error: 1}, Listed: []dnsbl.Result{{}}}, exitCritical},
	}
	for i, c := range cases {
		if got := exitCode(p.finish(c.rep, nil), &bytes.Buffer{}); got != c.code {
			t.Errorf("case %d: exit %d, want %d", i, got, c.code)
		}
	}
}
