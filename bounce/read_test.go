package bounce

import (
	"context"
	"encoding/base64"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dsnBounce is an RFC 3464 report as Postfix writes one (bounce(8)), its
// human-readable part quoted-printable and its delivery-status part
// base64 (both legal, RFC 3462 §2), with diag as the diagnostic.
func dsnBounce(t *testing.T, diag string) string {
	t.Helper()
	var qp strings.Builder
	w := quotedprintable.NewWriter(&qp)
	if _, err := w.Write([]byte("This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<user@example.net>: host mx.example.net[198.51.100.7] said: " + diag + " (in reply to RCPT TO command)\n")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	status := "Reporting-MTA: dns; mx.example.org\nArrival-Date: Tue, 10 Nov 2026 09:15:00 +0100\n\n" +
		"Final-Recipient: rfc822; user@example.net\nOriginal-Recipient: rfc822;user@example.net\nAction: failed\nStatus: 5.7.1\n" +
		"Remote-MTA: dns; mx.example.net\nDiagnostic-Code: smtp; " + diag + "\n"
	b64 := base64.StdEncoding.EncodeToString([]byte(status))
	var wrapped strings.Builder
	for len(b64) > 76 {
		wrapped.WriteString(b64[:76] + "\n")
		b64 = b64[76:]
	}
	wrapped.WriteString(b64 + "\n")
	return "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\nTo: sender@example.org\n" +
		"Subject: Undelivered Mail Returned to Sender\nDate: Tue, 10 Nov 2026 09:16:00 +0100\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"B1\"\n\n" +
		"--B1\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\n" + qp.String() + "\n" +
		"--B1\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n" + wrapped.String() +
		"--B1\nContent-Type: text/rfc822-headers\n\nReceived: from x by y\nX-Spam-Status: RCVD_IN_SBL\nSubject: hi\n\n--B1--\n"
}

func readOne(t *testing.T, name, content string) *Report {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := ReadPaths(context.Background(), []string{path}, NewClassifier(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestDSNDeadList(t *testing.T) {
	rep := readOne(t, "sorbs.eml", dsnBounce(t, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using dnsbl.sorbs.net; Currently Sending Spam See: http://www.sorbs.net/lookup.shtml?192.0.2.1"))
	if len(rep.Failures) != 1 || len(rep.Problems) != 0 {
		t.Fatalf("failures %+v problems %+v", rep.Failures, rep.Problems)
	}
	f := rep.Failures[0]
	if f.Recipient != "user@example.net" || f.Status != "5.7.1" || f.RemoteMTA != "mx.example.net" || f.ReportingMTA != "mx.example.org" || f.Source != "delivery-status" || f.Action != "failed" {
		t.Errorf("failure %+v", f)
	}
	if f.Time == nil || f.TimeSource != "arrival-date" || f.Time.Format("2006-01-02T15:04:05Z07:00") != "2026-11-10T08:15:00Z" {
		t.Errorf("time %v %q, want the Arrival-Date in UTC", f.Time, f.TimeSource)
	}
	if !f.Blocklisted || f.List != "sorbs" || f.ListedIP != "192.0.2.1" {
		t.Errorf("rejection %+v", f.Rejection)
	}
	if f.DNSList == nil || f.DNSList.Status != ListDead || f.DNSList.Dead != "2024-06-05" || f.DelistURL != "" {
		t.Errorf("SORBS should be dead since 2024-06-05 with nobody to ask: %+v, delist %q", f.DNSList, f.DelistURL)
	}
}

func TestDSNZoneRefinesList(t *testing.T) {
	cases := []struct{ diag, list, dnsList, status string }{
		{"554 5.7.1 Service unavailable; Sender address [x@spam.example] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/spam.example", "spamhaus", "spamhaus-dbl", ListActive},
		{"554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1", "spamhaus", "spamhaus-zen", ListActive},
		{"550 5.7.1 Rejected: 192.0.2.1 is listed at bl.spamcop.net", "spamcop", "spamcop", ListActive},
		{"550 rejected because 192.0.2.1 is in a black list at psbl.surriel.com", "psbl", "psbl", ListActive},
		{"554 5.7.1 Client host [192.0.2.1] blocked using ix.dnsbl.manitu.net", "manitu", "manitu", ListDead},
		{"554 5.7.1 Client host [192.0.2.1] blocked using rbl.example.net; see http://rbl.example.net/?192.0.2.1", "rbl.example.net", "", ""},
	}
	for _, c := range cases {
		rep := readOne(t, "b.eml", dsnBounce(t, c.diag))
		if len(rep.Failures) != 1 {
			t.Fatalf("%q: %d failures", c.diag, len(rep.Failures))
		}
		r := rep.Failures[0].Rejection
		if r.List != c.list {
			t.Errorf("%q: list %q, want %q", c.diag, r.List, c.list)
		}
		got, status := "", ""
		if r.DNSList != nil {
			got, status = r.DNSList.Name, r.DNSList.Status
		}
		if got != c.dnsList || status != c.status {
			t.Errorf("%q: DNS list %q (%s), want %q (%s)", c.diag, got, status, c.dnsList, c.status)
		}
	}
}

// TestLineEndingsAndFolders: the article's bounce read as LF, CRLF and
// bare CR, alone, in an mbox with another message, and in a Maildir.
func TestLineEndingsAndFolders(t *testing.T) {
	lf, err := os.ReadFile("testdata/article/spamrl-exim.eml")
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"lf.eml":   string(lf),
		"crlf.eml": strings.ReplaceAll(string(lf), "\n", "\r\n"),
		"cr.eml":   strings.ReplaceAll(string(lf), "\n", "\r"),
	} {
		rep := readOne(t, name, content)
		if len(rep.Blocklistings()) != 1 || rep.Blocklistings()[0].ListedIP != "213.187.179.198" {
			t.Errorf("%s: %+v", name, rep.Failures)
		}
	}

	mbox := "From MAILER-DAEMON Mon Aug 21 10:12:03 2017\n" + string(lf) + "\nFrom MAILER-DAEMON Tue Nov 10 09:16:00 2026\n" + dsnBounce(t, "550 5.1.1 <user@example.net>: Recipient address rejected: User unknown")
	rep := readOne(t, "bounces.mbox", strings.ReplaceAll(mbox, "\n", "\r\n"))
	if rep.Messages != 2 || len(rep.Failures) != 2 {
		t.Fatalf("mbox: %d messages, failures %+v", rep.Messages, rep.Failures)
	}
	if rep.Failures[0].Message != 1 || !rep.Failures[0].Blocklisted || rep.Failures[1].Message != 2 || rep.Failures[1].Blocklisted {
		t.Errorf("mbox failures: %+v", rep.Failures)
	}

	md := t.TempDir()
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.Mkdir(filepath.Join(md, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(filepath.Join(md, p), []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("cur/1700000000.1.host:2,S", string(lf))
	write("new/1700000001.2.host", dsnBounce(t, "550 5.2.2 mailbox full"))
	write("tmp/1700000002.3.host", string(lf)) // a delivery in progress: skipped
	rep, err = ReadPaths(context.Background(), []string{md}, NewClassifier(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 2 || len(rep.Failures) != 2 || len(rep.Blocklistings()) != 1 {
		t.Errorf("Maildir: %d files, failures %+v", rep.Files, rep.Failures)
	}
}

func TestUnreadablePaths(t *testing.T) {
	rep, err := ReadPaths(context.Background(), []string{filepath.Join(t.TempDir(), "missing")}, nil)
	if err != ErrNoInput || len(rep.Problems) != 1 {
		t.Errorf("err %v problems %+v, want ErrNoInput and the path named", err, rep.Problems)
	}
	// A folder that cannot be entered is a problem; its siblings are read.
	if os.Geteuid() == 0 {
		t.Skip("root enters any folder")
	}
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	if err := os.Mkdir(locked, 0o700); err != nil {
		t.Fatal(err)
	}
	article, err := os.ReadFile("testdata/article/spamrl-exim.eml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.eml"), article, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(locked, 0o700) })
	rep, err = ReadPaths(context.Background(), []string{dir}, nil)
	if err != nil || rep.Files != 1 || len(rep.Problems) != 1 {
		t.Errorf("err %v, %d files, problems %+v", err, rep.Files, rep.Problems)
	}
}

// TestBrokenMIME: what cannot be decoded is a warning, and what can still
// is read.
func TestBrokenMIME(t *testing.T) {
	msg := "From: MAILER-DAEMON@x\nContent-Type: multipart/report; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\n" +
		"<a@example.net>: host mx.example.net[198.51.100.7] said: 550 5.7.1 Service unavailable; Client host [192.0.2.9] blocked using bl.spamcop.net\n\n" +
		"--B\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n!!!notbase64\n"
	p := Parse([]byte(msg))
	if len(p.Failures) != 1 || p.Failures[0].Recipient != "a@example.net" {
		t.Fatalf("failures %+v", p.Failures)
	}
	r := NewClassifier(nil, nil).Classify(p.Failures[0])
	if r.List != "spamcop" || r.ListedIP != "192.0.2.9" {
		t.Errorf("rejection %+v", r)
	}
}

func TestParsePatternsRejects(t *testing.T) {
	for _, bad := range []string{
		"patterns:\n  - {name: x, kind: dnsbl, match: 'a('}\n",
		"patterns:\n  - {name: x, kind: dnsbl, match: a}\n",
		"patterns:\n  - {name: x, kind: odd, match: a, source: s}\n",
		"patterns:\n  - {name: x, kind: dnsbl, match: a, source: s, ip: 'no group'}\n",
		"patterns:\n  - {name: x, kind: dnsbl, match: a, source: s}\n  - {name: x, kind: dnsbl, match: b, source: s}\n",
		"patterns:\n  - {name: x, kind: dnsbl, match: a, source: s, typo: 1}\n",
	} {
		if _, err := ParsePatterns("t.yaml", []byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	for _, p := range DefaultPatterns() {
		if p.DNSList != "" {
			if _, ok := NewClassifier(nil, nil).cat.Lookup(p.DNSList); !ok {
				t.Errorf("pattern %s: dns_list %q is not in the DNS catalogue", p.Name, p.DNSList)
			}
		}
	}
}

func TestLenientQP(t *testing.T) {
	in := "550 5.7.1 =\nblocked =3D using\x1b$B zen.spamhaus.org =ZZ=4"
	want := "550 5.7.1 blocked = using\x1b$B zen.spamhaus.org =ZZ=4"
	if got := string(lenientQP([]byte(in))); got != want {
		t.Errorf("lenientQP = %q, want %q", got, want)
	}
}

func TestDecodeBase64Leniently(t *testing.T) {
	enc := base64.StdEncoding.EncodeToString([]byte("Diagnostic-Code: smtp; 550 blocked using bl.spamcop.net\n"))
	body := " " + enc[:20] + "\n  " + enc[20:] + "\n--\nthis is not part of it\n"
	got, err := decodeBody("base64", strings.NewReader(body))
	if err != nil || string(got) != "Diagnostic-Code: smtp; 550 blocked using bl.spamcop.net\n" {
		t.Errorf("decoded %q, %v", got, err)
	}
}
