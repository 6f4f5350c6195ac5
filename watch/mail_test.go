package watch

import (
	"bufio"
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// smtpSink is a minimal SMTP server on loopback (RFC 5321 command/reply
// shape) that keeps the DATA of each message. With rejectAuth it
// advertises AUTH and refuses every attempt (535).
type smtpSink struct {
	ln         net.Listener
	rejectAuth bool
	mu         sync.Mutex
	messages   []string
	commands   []string
}

func startSink(t *testing.T, rejectAuth bool) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln, rejectAuth: rejectAuth}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func(l string) { c.Write([]byte(l + "\r\n")) }
	reply("220 sink.test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		s.mu.Lock()
		s.commands = append(s.commands, strings.TrimSpace(line))
		s.mu.Unlock()
		switch {
		case strings.HasPrefix(cmd, "EHLO"):
			if s.rejectAuth {
				reply("250-sink.test")
				reply("250 AUTH PLAIN LOGIN")
			} else {
				reply("250 sink.test")
			}
		case strings.HasPrefix(cmd, "AUTH"):
			reply("535 5.7.8 Authentication credentials invalid")
		case cmd == "DATA":
			reply("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.messages = append(s.messages, b.String())
			s.mu.Unlock()
			reply("250 queued")
		case cmd == "QUIT":
			reply("221 bye")
			return
		default:
			reply("250 ok")
		}
	}
}

func testReport() *Report {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	return &Report{RunID: 7, Finished: at, Targets: 2, Lists: 1, Counts: map[dnsbl.Verdict]int{dnsbl.Listed: 1, dnsbl.NotListed: 1},
		Changes: []Change{{Kind: Listed, Target: "192.0.2.1", List: "bl", Zone: "bl.test", To: "listed", Since: at, At: at, Runs: 2,
			Codes: []string{"127.0.0.2"}, TXT: []string{"spam\x1b[31m\r\nBcc: victim@example.net"},
			Delist: "https://bl.test/remove"}}}
}

func TestMailAlertPlainText(t *testing.T) {
	sink := startSink(t, false)
	m, err := NewSMTPMailer(MailConfig{Host: "127.0.0.1", Port: sink.port(), TLS: "none",
		From: "dnsblaudit@example.org", To: []string{"postmaster@example.org"}}, func() time.Time { return time.Unix(0, 0) })
	if err != nil {
		t.Fatal(err)
	}
	if err := (MailAlert{Mailer: m}).Alert(context.Background(), testReport()); err != nil {
		t.Fatalf("send: %v", err)
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.messages) != 1 {
		t.Fatalf("%d messages delivered", len(sink.messages))
	}
	msg := sink.messages[0]
	for _, want := range []string{"Subject: [dnsblaudit] 192.0.2.1 listed on bl", "Auto-Submitted: auto-generated",
		"text/plain", "https://bl.test/remove", "127.0.0.2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "\x1b") || strings.Contains(msg, "\r\nBcc:") {
		t.Errorf("TXT from the list reached the message raw:\n%q", msg)
	}
}

func TestMailPasswordNeverInErrors(t *testing.T) {
	sink := startSink(t, true)
	const secret = "s3cret-Passw0rd"
	t.Setenv("TEST_SMTP_PASSWORD", secret)
	m, err := NewSMTPMailer(MailConfig{Host: "127.0.0.1", Port: sink.port(), TLS: "none", From: "a@example.org",
		To: []string{"b@example.org"}, Username: "dnsblaudit", PasswordEnv: "TEST_SMTP_PASSWORD"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), "subject", "body")
	if err == nil {
		t.Fatal("send succeeded although the server refuses authentication")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error reveals the password: %v", err)
	}
	t.Logf("error: %v", err)
}

func TestMailRefusesHeaderInjection(t *testing.T) {
	m := &SMTPMailer{cfg: MailConfig{From: "a@example.org", To: []string{"b@example.org"}}.withDefaults(), now: time.Now}
	if _, err := m.message("listed\r\nBcc: x@example.net", "body"); err == nil {
		t.Error("subject with CRLF accepted")
	}
}

func TestMailConfigValidation(t *testing.T) {
	bad := []MailConfig{
		{Host: "smtp.example.org", To: []string{"b@example.org"}},                                      // no from
		{Host: "smtp.example.org", From: "a@example.org"},                                              // no to
		{Host: "smtp.example.org", From: "a@example.org", To: []string{"b@x"}, TLS: "maybe"},           // bad tls
		{Host: "smtp.example.org", From: "a@example.org", To: []string{"b@x"}, Username: "u"},          // no password_env
		{Host: "smtp.example.org", From: "a@example.org\r\nBcc: c@x", To: []string{"b@x"}},             // header injection
		{Host: "smtp.example.org", From: "a@example.org", To: []string{"b@x"}, PasswordEnv: "UNSET_X"}, // unset variable
	}
	for i, c := range bad {
		if _, err := NewSMTPMailer(c, nil); err == nil {
			t.Errorf("case %d accepted: %+v", i, c)
		}
	}
}
