package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/investigate"
	"github.com/dnsblaudit/dnsblaudit/notify"
)

// The evidence for a list is rendered only when the callouts explain the
// listing and nothing on our side does too: with our own backscatter
// also supported, asking for delisting would hide it.
func TestListingEvidenceNotRenderedWhenOwnCauseSupported(t *testing.T) {
	raw, err := os.ReadFile(notifyEvidence)
	if err != nil {
		t.Fatal(err)
	}
	var rep evidence.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	np, err := newNoticeRenderer(notify.Config{From: "Example Postmaster <postmaster@example.org>"}, "UTC", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for own, want := range map[string]int{investigate.NotSupported: 1, investigate.Supported: 0} {
		dir := t.TempDir()
		c := &investigate.Case{Schema: investigate.Schema, Subject: "198.51.100.25", Evidence: rep,
			Listings:   []investigate.Listing{{Target: "198.51.100.25", List: "spamrl", Zone: "dnsbl.spamrl.example", Codes: []string{"127.0.0.2"}}},
			Hypothesis: investigate.Hypothesis{Verdict: investigate.Supported},
			Explanations: []investigate.Explanation{{Name: investigate.ExplainReceivedCallouts, Verdict: investigate.Supported},
				{Name: investigate.ExplainOwnBackscatter, Verdict: own}}}
		data, _ := json.Marshal(c)
		if err := os.WriteFile(filepath.Join(dir, investigate.CaseFile), data, 0o600); err != nil {
			t.Fatal(err)
		}
		ns, err := np.RenderNotices(context.Background(), dir, c)
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, n := range ns {
			if n.Kind == "listing-evidence" {
				got++
			}
		}
		if got != want {
			t.Errorf("own-backscatter %s: %d listing-evidence notices, want %d", own, got, want)
		}
	}
}
