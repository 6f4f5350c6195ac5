package notify

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/smtptest"
)

func smtpConfig(s *smtptest.Server, tls string) SMTPConfig {
	return SMTPConfig{Host: s.Host, Port: s.Port, TLS: tls, HELO: "notify.example.org", Timeout: 10 * time.Second, CAFile: s.CAFile}
}

// run plans, renders and delivers like `dnsblaudit notify --send`.
func run(t *testing.T, st Store, s Sender, now time.Time, edit func(*Options)) Delivery {
	t.Helper()
	opts := testOptions(t)
	opts.Now = clockAt(now)
	if edit != nil {
		edit(&opts)
	}
	in := testInput(t)
	batches, _ := Batches(in, opts)
	batches, _, err := Plan(context.Background(), batches, st, Limits{Cooldown: DefaultCooldown, MaxPerRun: DefaultMaxPerRun, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	notices, err := RenderBatches(in, batches, opts)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Deliver(context.Background(), notices, s, st, clockAt(now))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return d
}

func TestSendOverSMTPAndRerunSendsNothing(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	sender, err := NewSMTPSender(smtpConfig(srv, TLSNone))
	if err != nil {
		t.Fatal(err)
	}
	st := &MemoryStore{}
	d := run(t, st, sender, renderTime, nil)
	if len(d.Sent) != 2 || len(d.Held) != 1 || len(d.Failed) != 0 {
		t.Fatalf("sent %d, held %d, failed %v", len(d.Sent), len(d.Held), d.Failed)
	}
	got := srv.Messages(t)
	if len(got) != 2 {
		t.Fatalf("server got %d messages, want 2", len(got))
	}
	for i, want := range []string{"abuse@filter.example.net", "Abuse@ISP.example"} {
		m := got[i]
		if m.MailFrom != "postmaster@example.org" || !slices.Equal(m.RcptTos, []string{want}) || m.Helo != "notify.example.org" {
			t.Errorf("message %d: from %q to %v helo %q", i, m.MailFrom, m.RcptTos, m.Helo)
		}
		// What arrived is what the review copy showed.
		eml, _ := d.Sent[i].Bytes()
		if !bytes.Equal(m.Data, eml) {
			t.Errorf("message %d differs from its .eml:\n%q\n%q", i, m.Data[len(m.Data)-40:], eml[len(eml)-40:])
		}
	}
	if len(st.Records) != 2 || st.Records[0].MessageID != "notice-1@example.org" || len(st.Records[0].Keys) != 2 {
		t.Errorf("records = %+v", st.Records)
	}
	// The next day, after the cool-down: nothing new, nothing sent.
	sender2, _ := NewSMTPSender(smtpConfig(srv, TLSNone))
	d = run(t, st, sender2, renderTime.Add(DefaultCooldown+time.Hour), nil)
	if len(d.Sent) != 0 || len(srv.Messages(t)) != 2 {
		t.Errorf("rerun sent %d, server has %d", len(d.Sent), len(srv.Messages(t)))
	}
}

func TestFailedSendLeavesNoRecord(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Reject: []string{"abuse@filter.example.net"}, TempFail: []string{"abuse@isp.example"}})
	sender, err := NewSMTPSender(smtpConfig(srv, TLSNone))
	if err != nil {
		t.Fatal(err)
	}
	st := &MemoryStore{}
	d := run(t, st, sender, renderTime, nil)
	if len(d.Sent) != 0 || len(d.Failed) != 2 || len(st.Records) != 0 {
		t.Fatalf("sent %d, failed %d, records %d", len(d.Sent), len(d.Failed), len(st.Records))
	}
	if !errors.Is(d.Failed[0].Err, ErrSend) || IsTemporary(d.Failed[0].Err) || !IsTemporary(d.Failed[1].Err) {
		t.Errorf("errors: %v / %v", d.Failed[0].Err, d.Failed[1].Err)
	}
	if len(srv.Messages(t)) != 0 {
		t.Error("server accepted a message")
	}
}

// A server that is down: every notice fails, none is recorded.
func TestUnreachableServerLeavesNoRecord(t *testing.T) {
	sender, err := NewSMTPSender(SMTPConfig{Host: "127.0.0.1", Port: 1, TLS: TLSNone, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st := &MemoryStore{}
	d := run(t, st, sender, renderTime, nil)
	if len(d.Failed) != 2 || len(st.Records) != 0 {
		t.Fatalf("failed %d, records %d", len(d.Failed), len(st.Records))
	}
}

func TestStartTLSMandatoryWithAuth(t *testing.T) {
	const pw = "s3cret-Pa55word"
	srv := smtptest.Start(t, smtptest.Options{STARTTLS: true, User: "notifier", Password: pw})
	t.Setenv("NOTIFY_TEST_PW", pw)
	cfg := sendAuthenticated(t, srv, TLSMandatory)
	// A wrong password fails, and the error does not carry it. (After the
	// 535, go-mail cancels with "*", which aiosmtpd leaves unanswered: a
	// short timeout keeps the test quick.)
	t.Setenv("NOTIFY_TEST_PW", "wrong-"+pw)
	cfg.Timeout = time.Second
	sender, _ := NewSMTPSender(cfg)
	d := run(t, &MemoryStore{}, sender, renderTime, nil)
	if len(d.Failed) == 0 {
		t.Fatal("wrong password: no failure")
	}
	for _, f := range d.Failed {
		if strings.Contains(f.Err.Error(), pw) {
			t.Errorf("error reveals the password: %v", f.Err)
		}
	}
}

func TestStartTLSMandatoryRefusesPlainServer(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	sender, _ := NewSMTPSender(smtpConfig(srv, TLSMandatory))
	st := &MemoryStore{}
	d := run(t, st, sender, renderTime, nil)
	if len(d.Sent) != 0 || len(d.Failed) != 2 || len(srv.Messages(t)) != 0 || len(st.Records) != 0 {
		t.Errorf("sent %d failed %d arrived %d", len(d.Sent), len(d.Failed), len(srv.Messages(t)))
	}
}

// Review copies (--to) go to the reviewer and are not recorded: the desk
// has not been told, so the real run still sends.
func TestRedirectedCopiesAreNotRecorded(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	sender, _ := NewSMTPSender(smtpConfig(srv, TLSNone))
	st := &MemoryStore{}
	d := run(t, st, sender, renderTime, func(o *Options) { o.To = "review@example.org" })
	if len(d.Sent) != 3 || len(st.Records) != 0 {
		t.Fatalf("sent %d (the draft included), records %d", len(d.Sent), len(st.Records))
	}
	for i, m := range srv.Messages(t) {
		mark := "X-Dnsblaudit-Original-To: "
		if i == 2 {
			mark = "X-Dnsblaudit-Needs-Recipient: "
		}
		if !slices.Equal(m.RcptTos, []string{"review@example.org"}) || !bytes.Contains(m.Data, []byte(mark)) {
			t.Errorf("review copy %d to %v without %s", i, m.RcptTos, mark)
		}
	}
}

func TestSendmail(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "sendmail")
	script := "#!/bin/sh\necho \"$@\" > \"$0.args\"\ncat > \"$0.msg\"\n"
	if err := os.WriteFile(fake, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	st := &MemoryStore{}
	d := run(t, st, SendmailSender{Path: fake}, renderTime, func(o *Options) { o.Policy.Recipients = RecipientsBest })
	if len(d.Sent) != 2 || len(st.Records) != 2 || st.Records[0].Transport != TransportSendmail {
		t.Fatalf("sent %d, records %+v", len(d.Sent), st.Records)
	}
	args, _ := os.ReadFile(fake + ".args")
	if strings.TrimSpace(string(args)) != "-oi -t -f postmaster@example.org" {
		t.Errorf("sendmail args %q", args)
	}
	// A failing sendmail: no record.
	os.WriteFile(fake, []byte("#!/bin/sh\necho 'sendmail: queue full' >&2\nexit 75\n"), 0o700)
	st = &MemoryStore{}
	d = run(t, st, SendmailSender{Path: fake}, renderTime, nil)
	if len(d.Failed) != 2 || len(st.Records) != 0 {
		t.Errorf("failing sendmail: failed %d, records %d", len(d.Failed), len(st.Records))
	}
}

func TestPasswordSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	t.Setenv("PW_SET", "from-env")
	cases := []struct {
		cfg  SMTPConfig
		want string
		err  bool
	}{
		{SMTPConfig{PasswordEnv: "PW_SET"}, "from-env", false},
		{SMTPConfig{PasswordEnv: "PW_UNSET_X", PasswordFile: file}, "from-file", false},
		{SMTPConfig{PasswordFile: file}, "from-file", false},
		{SMTPConfig{PasswordEnv: "PW_UNSET_X"}, "", true},
		{SMTPConfig{PasswordFile: filepath.Join(dir, "missing")}, "", true},
	}
	for _, c := range cases {
		got, err := password(c.cfg)
		if got != c.want || (err != nil) != c.err || (err != nil && !errors.Is(err, ErrNoPassword)) {
			t.Errorf("%+v: %q, %v", c.cfg, got, err)
		}
	}
}

// Implicit TLS (SMTPS, RFC 8314) with AUTH.
func TestImplicitTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{STARTTLS: true, Implicit: true, User: "notifier", Password: "pw-465"})
	t.Setenv("NOTIFY_TEST_PW", "pw-465")
	sendAuthenticated(t, srv, TLSImplicit)
}

// sendAuthenticated sends the test notices through srv as "notifier", with
// the password in $NOTIFY_TEST_PW, and checks that both went over TLS after
// AUTH. It returns the configuration it used.
func sendAuthenticated(t *testing.T, srv *smtptest.Server, tls string) SMTPConfig {
	t.Helper()
	cfg := smtpConfig(srv, tls)
	cfg.Username, cfg.PasswordEnv = "notifier", "NOTIFY_TEST_PW"
	sender, err := NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	d := run(t, &MemoryStore{}, sender, renderTime, nil)
	if len(d.Sent) != 2 {
		t.Fatalf("sent %d, failed %v", len(d.Sent), d.Failed)
	}
	for _, m := range srv.Messages(t) {
		if !m.TLS || !m.Auth {
			t.Errorf("message sent without TLS (%v) or AUTH (%v)", m.TLS, m.Auth)
		}
	}
	return cfg
}
