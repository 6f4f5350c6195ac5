package watch

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/smtptest"
)

// STARTTLS to a server whose certificate only the configured CA file
// vouches for, with the configured HELO: against a real SMTP server.
func TestMailAlertTrustsCAFile(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{STARTTLS: true})
	m, err := NewSMTPMailer(MailConfig{Host: srv.Host, Port: srv.Port, TLS: "starttls", CAFile: srv.CAFile,
		HELO: "watch.example.org", From: "dnsblaudit@example.org", To: []string{"postmaster@example.org"},
		Timeout: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), "listed", "192.0.2.1 listed on bl\n"); err != nil {
		t.Fatalf("send: %v", err)
	}
	msgs := srv.Messages(t)
	if len(msgs) != 1 || !msgs[0].TLS || msgs[0].Helo != "watch.example.org" {
		t.Fatalf("delivered %+v", msgs)
	}
}

func TestMailCAFileErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(bad, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(t.TempDir(), "missing.pem")} {
		_, err := NewSMTPMailer(MailConfig{Host: "127.0.0.1", TLS: "starttls", CAFile: path,
			From: "a@example.org", To: []string{"b@example.org"}}, nil)
		if err == nil {
			t.Errorf("CA file %s accepted", path)
		}
	}
}
