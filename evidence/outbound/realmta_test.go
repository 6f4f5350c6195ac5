package outbound

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func scanFiles(t *testing.T, files ...string) *Report {
	t.Helper()
	return scanFilesAt(t, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), files...)
}

// scanFilesAt scans with year-less stamps dated by ref.
func scanFilesAt(t *testing.T, ref time.Time, files ...string) *Report {
	t.Helper()
	rep, err := Scan(context.Background(), Options{Files: files, YearReference: ref})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Files {
		if f.Error != "" || f.Malformed != 0 {
			t.Errorf("%s: error %q, %d malformed", f.File, f.Error, f.Malformed)
		}
	}
	return rep
}

func mta(name string) string { return filepath.Join("..", "testdata", "mta", name) }

// The Postfix reject_unverified_sender MX of ../testdata/mta (PROVENANCE.md):
// five spams with forged victim2.test senders made it verify hjkyu,
// zqwerty, erin (exists), otjllo and akuolsymwt at 127.0.0.45. Those five
// probes are its own callouts; the two deliveries to frank are local.
func TestPostfixProberOwnCallouts(t *testing.T) {
	rep := scanFiles(t, mta("postfix-prober.log"))
	c := rep.Callouts
	if c.Count != 5 || c.Rejected != 4 {
		t.Errorf("callouts = %d (%d rejected), want 5 (4: all but erin)", c.Count, c.Rejected)
	}
	if !slices.Equal(c.Hosts, []string{"127.0.0.45[127.0.0.45]"}) {
		t.Errorf("hosts = %q", c.Hosts)
	}
	if len(c.Days) != 1 || c.Days[0] != (Day{"2026-11-27", 5}) {
		t.Errorf("days = %+v", c.Days)
	}
	if !rep.SentTo("127.0.0.45") || rep.SentTo("127.0.0.111") {
		t.Errorf("remote IPs %q: want only the probed 127.0.0.45", rep.RemoteIPs)
	}
	if len(c.Samples) != 5 || c.Samples[0].Line != 7 {
		t.Errorf("samples = %+v", c.Samples)
	}
	if rep.Local.Count != 2 || rep.Deliveries.Count != 0 || len(rep.Senders) != 0 || rep.Bounces.Generated != 0 {
		t.Errorf("local %d, remote %d, senders %d, bounces %d; want 2, 0, 0, 0", rep.Local.Count, rep.Deliveries.Count, len(rep.Senders), rep.Bounces.Generated)
	}
}

// The Exim callout=random prober: keerheior and anecowuutp were verified
// at 127.0.0.35; the third spam reused keerheior and Exim answered from
// its callout cache (a line without a host: no probe sent).
func TestEximProberOwnCallouts(t *testing.T) {
	rep := scanFiles(t, mta("exim-prober.log"))
	if rep.Callouts.Count != 2 || rep.Callouts.Rejected != 2 {
		t.Errorf("callouts = %+v, want 2 rejected", rep.Callouts)
	}
	if !slices.Equal(rep.Callouts.Hosts, []string{"127.0.0.35[127.0.0.35]"}) {
		t.Errorf("hosts = %q", rep.Callouts.Hosts)
	}
	if rep.Local.Count != 2 || rep.Deliveries.Count != 0 {
		t.Errorf("local %d remote %d, want 2 local (carol, dave)", rep.Local.Count, rep.Deliveries.Count)
	}
}

// The legitimate deliveries of the scenario: erin@victim2.test to
// frank@prober2.test through Exim's remote_smtp, alice@victim.test to
// dave@prober.test through Postfix's smtp.
func TestRemoteDeliveriesBySender(t *testing.T) {
	for _, tc := range []struct{ file, sender, host string }{
		{"exim-victim.log", "erin@victim2.test", "127.0.0.26[127.0.0.26]"},
		{"postfix-victim.log", "alice@victim.test", "127.0.0.25[127.0.0.25]"},
	} {
		rep := scanFiles(t, mta(tc.file))
		if rep.Deliveries.Count != 1 || !slices.Equal(rep.Deliveries.Hosts, []string{tc.host}) {
			t.Errorf("%s: deliveries %+v", tc.file, rep.Deliveries)
		}
		if len(rep.Senders) != 1 || rep.Senders[0].Sender != tc.sender || rep.Senders[0].Messages != 1 || rep.Senders[0].Auth {
			t.Errorf("%s: senders %+v", tc.file, rep.Senders)
		}
		if rep.Callouts.Count != 0 {
			t.Errorf("%s: callouts %d, want 0", tc.file, rep.Callouts.Count)
		}
	}
}

func TestMissingFileIsNamed(t *testing.T) {
	rep, err := Scan(context.Background(), Options{Files: []string{"/nonexistent/maillog"}})
	if err != nil || rep.Read || len(rep.Files) != 1 || rep.Files[0].Error == "" {
		t.Errorf("err %v, report %+v", err, rep)
	}
}
