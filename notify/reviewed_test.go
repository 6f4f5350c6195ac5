package notify

import (
	"bytes"
	"context"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/smtptest"
)

// renderNotices renders the test notices at renderTime.
func renderNotices(t *testing.T) []Notice {
	t.Helper()
	opts := testOptions(t)
	opts.Now = clockAt(renderTime)
	notices, err := Render(testInput(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return notices
}

// writeReviewed renders the test notices into a review directory, as a
// dry run leaves them, and returns the paths (two to desks, one draft).
func writeReviewed(t *testing.T) []string {
	t.Helper()
	notices := renderNotices(t)
	paths, err := WriteDir(notices, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

func readAll(t *testing.T, paths []string) []*Reviewed {
	t.Helper()
	var out []*Reviewed
	for _, p := range paths {
		r, err := ReadReviewed(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// `notify --case DIR --send` sends the reviewed files, not a new
// rendering: a reviewer's edit arrives as made; X-Dnsblaudit-* fields
// (with their folded lines) are the only bytes removed; a file marked for
// review is held under --yes unless named; a rerun sends nothing.
func TestSendReviewedBytes(t *testing.T) {
	paths := writeReviewed(t)
	var toDesk, draft []string
	for _, p := range paths {
		if strings.HasPrefix(filepath.Base(p), PrefixNeedsRecipient) {
			draft = append(draft, p)
		} else {
			toDesk = append(toDesk, p)
		}
	}
	if len(toDesk) != 2 || len(draft) != 1 {
		t.Fatalf("rendered %q", paths)
	}
	// The reviewer rewords the first notice and flags the second.
	edited, _ := os.ReadFile(toDesk[0])
	edited = bytes.Replace(edited, []byte("Hello,"), []byte("Hello abuse team,"), 1)
	os.WriteFile(toDesk[0], edited, 0o600)
	flagged, _ := os.ReadFile(toDesk[1])
	flagged = append([]byte("X-Dnsblaudit-Needs-Review: the contact\r\n is a guess\r\n"), flagged...)
	os.WriteFile(toDesk[1], flagged, 0o600)

	srv := smtptest.Start(t, smtptest.Options{})
	st := &MemoryStore{}
	send := func(include ...string) ReviewedDelivery {
		sender, err := NewSMTPSender(smtpConfig(srv, TLSNone))
		if err != nil {
			t.Fatal(err)
		}
		defer sender.Close()
		d, err := SendReviewed(context.Background(), readAll(t, paths), nil, include, "postmaster@example.org", sender, st,
			Limits{Now: renderTime}, clockAt(renderTime))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := send()
	if len(d.Sent) != 1 || len(d.Held) != 2 || len(d.Failed) != 0 {
		t.Fatalf("sent %d held %d failed %v; want the edited one sent, the flagged one and the draft held", len(d.Sent), len(d.Held), d.Failed)
	}
	got := srv.Messages(t)
	if len(got) != 1 || !bytes.Equal(got[0].Data, edited) {
		t.Fatalf("server got %d messages; first differs from the reviewed file", len(got))
	}
	if got[0].MailFrom != "postmaster@example.org" || !slices.Equal(got[0].RcptTos, []string{"abuse@filter.example.net"}) {
		t.Errorf("envelope %q -> %q", got[0].MailFrom, got[0].RcptTos)
	}
	if len(st.Records) != 1 || st.Records[0].MessageID != d.Sent[0].MessageID || st.Records[0].MessageID == "" {
		t.Errorf("records %+v", st.Records)
	}
	// Named on the command line, the flagged file goes, minus its
	// X-Dnsblaudit field and that field's continuation line.
	d = send(filepath.Base(toDesk[1]))
	if len(d.Sent) != 1 || len(d.Already) != 1 {
		t.Fatalf("second run: sent %d, already %d", len(d.Sent), len(d.Already))
	}
	got = srv.Messages(t)
	want := bytes.TrimPrefix(flagged, []byte("X-Dnsblaudit-Needs-Review: the contact\r\n is a guess\r\n"))
	if len(got) != 2 || !bytes.Equal(got[1].Data, want) {
		t.Fatalf("flagged file: server has %d messages, the second differs from the file minus its X-Dnsblaudit field", len(got))
	}
	if bytes.Contains(got[1].Data, []byte("X-Dnsblaudit")) || bytes.Contains(got[1].Data, []byte("is a guess")) {
		t.Error("an X-Dnsblaudit field reached the wire")
	}
	// Everything sent: a rerun sends nothing.
	if d = send(filepath.Base(toDesk[1])); len(d.Sent) != 0 || len(srv.Messages(t)) != 2 {
		t.Errorf("rerun sent %d", len(d.Sent))
	}
}

func TestStripInternalHeaders(t *testing.T) {
	in := "From: a@example.org\r\nX-Dnsblaudit-Needs-Review: x\r\n\ty\r\nx-dnsblaudit-original-to: b@example.org\r\nSubject: s\r\n folded\r\n\r\nX-Dnsblaudit-Body: stays\r\n"
	want := "From: a@example.org\r\nSubject: s\r\n folded\r\n\r\nX-Dnsblaudit-Body: stays\r\n"
	if got := string(StripInternalHeaders([]byte(in))); got != want {
		t.Errorf("got %q", got)
	}
}

// A file an editor saved with LF headers but CRLF further down ends its
// header at the first empty line, whatever its line end: the body's
// "X-Dnsblaudit-" line is text, and stays.
func TestStripInternalHeadersMixedLineEnds(t *testing.T) {
	in := "From: a@example.org\nX-Dnsblaudit-Needs-Review: x\nSubject: s\n\nbody\r\n\r\nX-Dnsblaudit-Body: stays\r\n"
	want := "From: a@example.org\nSubject: s\n\nbody\r\n\r\nX-Dnsblaudit-Body: stays\r\n"
	if got := string(StripInternalHeaders([]byte(in))); got != want {
		t.Errorf("got %q", got)
	}
	in = "From: a@example.org\nX-Dnsblaudit-Needs-Review: x\n\r\nX-Dnsblaudit-Body: stays\r\n"
	want = "From: a@example.org\n\r\nX-Dnsblaudit-Body: stays\r\n"
	if got := string(StripInternalHeaders([]byte(in))); got != want {
		t.Errorf("got %q", got)
	}
}

func TestParseReviewedRefuses(t *testing.T) {
	for name, eml := range map[string]string{
		"bcc":        "From: a@example.org\r\nTo: b@example.org\r\nBcc: c@example.org\r\nMessage-ID: <1@example.org>\r\n\r\nx\r\n",
		"no msgid":   "From: a@example.org\r\nTo: b@example.org\r\n\r\nx\r\n",
		"bad to":     "From: a@example.org\r\nTo: not an address\r\nMessage-ID: <1@example.org>\r\n\r\nx\r\n",
		"no headers": "x",
	} {
		if _, err := ParseReviewed(name, []byte(eml)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	r, err := ParseReviewed("NEEDS-RECIPIENT-01.eml", []byte("From: a@example.org\r\nMessage-ID: <1@example.org>\r\n\r\nx\r\n"))
	if err != nil || !r.NeedsReview || len(r.To) != 0 {
		t.Errorf("draft: %+v %v", r, err)
	}
}

func FuzzParseReviewed(f *testing.F) {
	f.Add([]byte("From: a@example.org\r\nTo: b@example.org\r\nX-Dnsblaudit-Needs-Review: x\r\n y\r\nMessage-ID: <1@example.org>\r\n\r\nbody\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseReviewed("f.eml", data)
		out := StripInternalHeaders(data)
		if len(out) > len(data) {
			t.Fatal("stripping grew the message")
		}
		if err == nil && bytes.Contains(r.Data[:headerEnd(r.Data)], []byte("\nX-Dnsblaudit-")) {
			t.Fatalf("internal field left in %q", r.Data)
		}
		// What a mail reader takes for the header of what is sent has no
		// note to the reviewer left in it.
		if err != nil {
			return
		}
		if m, err := mail.ReadMessage(bytes.NewReader(r.Data)); err == nil {
			for k := range m.Header {
				if strings.HasPrefix(strings.ToLower(k), strings.ToLower(InternalHeaderPrefix)) {
					t.Fatalf("sent header keeps %s: %q", k, r.Data)
				}
			}
		}
	})
}

// The rendering path too: a needs-review notice is held unless the
// operator approved it by name.
func TestDeliverHoldsNeedsReview(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	notices := renderNotices(t)
	notices[0].NeedsReview = true
	sender, _ := NewSMTPSender(smtpConfig(srv, TLSNone))
	d, err := Deliver(context.Background(), notices, sender, &MemoryStore{}, clockAt(renderTime))
	sender.Close()
	if err != nil || len(d.Sent) != 1 || len(d.Held) != 2 || d.Held[0] != &notices[0] {
		t.Fatalf("sent %d held %d err %v: the needs-review notice went out", len(d.Sent), len(d.Held), err)
	}
	notices[0].Approved = true
	sender, _ = NewSMTPSender(smtpConfig(srv, TLSNone))
	d, _ = Deliver(context.Background(), notices[:1], sender, &MemoryStore{}, clockAt(renderTime))
	sender.Close()
	if len(d.Sent) != 1 || len(srv.Messages(t)) != 2 {
		t.Errorf("approved notice: sent %d, server has %d", len(d.Sent), len(srv.Messages(t)))
	}
}

// FuzzParseCaseNotices: no "file" of case.json leads outside the case
// directory.
func FuzzParseCaseNotices(f *testing.F) {
	f.Add([]byte(`{"notices":[{"file":"notices/callback-notice/01.eml","desk":"abuse@example.net","keys":["k"]}]}`))
	f.Add([]byte(`{"notices":[{"file":"../../etc/passwd"}]}`))
	f.Add([]byte(`{"notices":[{"file":"/etc/passwd"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := filepath.Join("case", "dir")
		ns, err := ParseCaseNotices(dir, "case.json", data)
		if err != nil {
			return
		}
		for _, n := range ns {
			rel, err := filepath.Rel(dir, n.File)
			if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
				t.Fatalf("%q leads outside %s", n.File, dir)
			}
		}
	})
}

// On the rendering path too, what reaches a desk carries no
// X-Dnsblaudit-* note: an approved needs-review notice goes out without
// its X-Dnsblaudit-Needs-Review field.
func TestSentNoticeHasNoInternalHeaders(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	notices := renderNotices(t)
	notices[0].NeedsReview, notices[0].Approved = true, true
	review, _ := notices[0].Bytes()
	if !bytes.Contains(review, []byte("X-Dnsblaudit-Needs-Review")) {
		t.Fatal("the review file lacks its note")
	}
	sender, _ := NewSMTPSender(smtpConfig(srv, TLSNone))
	if _, err := Deliver(context.Background(), notices[:1], sender, &MemoryStore{}, clockAt(renderTime)); err != nil {
		t.Fatal(err)
	}
	sender.Close()
	got := srv.Messages(t)
	if len(got) != 1 || !bytes.Equal(got[0].Data, StripInternalHeaders(review)) {
		t.Errorf("sent bytes are not the review file minus its X-Dnsblaudit fields")
	}
}

// The rendering path's limits hold for reviewed files too: a desk inside
// its cool-down waits, and a run sends at most the cap.
func TestSendReviewedLimits(t *testing.T) {
	paths := writeReviewed(t)
	rs := readAll(t, paths[:2]) // the two files with a recipient
	srv := smtptest.Start(t, smtptest.Options{})
	st := &MemoryStore{Records: []SentRecord{{MessageID: "old@example.org", SentAt: renderTime.Add(-time.Hour), Desk: "abuse@filter.example.net"}}}
	sender, _ := NewSMTPSender(smtpConfig(srv, TLSNone))
	d, err := SendReviewed(context.Background(), rs, nil, nil, "postmaster@example.org", sender, st,
		Limits{Cooldown: DefaultCooldown, MaxPerRun: 1, Now: renderTime}, clockAt(renderTime))
	sender.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Sent) != 1 || len(d.Held) != 1 || !strings.Contains(d.Held[0].Why, "cool-down until") {
		t.Fatalf("sent %d, held %+v", len(d.Sent), d.Held)
	}
	rs = readAll(t, paths[:2])
	sender, _ = NewSMTPSender(smtpConfig(srv, TLSNone))
	d, _ = SendReviewed(context.Background(), rs, nil, nil, "postmaster@example.org", sender, &MemoryStore{},
		Limits{MaxPerRun: 1, Now: renderTime}, clockAt(renderTime))
	sender.Close()
	if len(d.Sent) != 1 || len(d.Held) != 1 || !strings.Contains(d.Held[0].Why, "cap of 1") {
		t.Errorf("cap: sent %d, held %+v", len(d.Sent), d.Held)
	}
}
