package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Sender delivers notices, one at a time, so that each one is recorded as
// soon as it is accepted.
type Sender interface {
	Send(ctx context.Context, n *Notice) error
	Close() error
	Name() string // "smtp" or "sendmail", stored with the record
}

// Failure is a notice that could not be sent.
type Failure struct {
	Notice *Notice
	Err    error
}

// Delivery is the outcome of Deliver.
type Delivery struct {
	Sent   []*Notice
	Failed []Failure
	Held   []*Notice // drafts that need a recipient, and needs-review notices not approved: never sent
}

// Deliver sends every notice that has a recipient (a draft has none
// unless --to redirected it) and needs no review, or was Approved by the
// operator (an unattended --yes does not approve anything), and records each one
// in st right after the server accepted it. A failed send is reported and
// never recorded, so the next run tries again. Notices redirected with
// --to are review copies: they are sent but not recorded, since the desk
// has not been told. A failure to record stops the run (ErrRecord): going
// on could mail a desk twice.
func Deliver(ctx context.Context, notices []Notice, s Sender, st Store, now func() time.Time) (Delivery, error) {
	var d Delivery
	for i := range notices {
		n := &notices[i]
		if !n.Sendable() {
			d.Held = append(d.Held, n)
			continue
		}
		if err := ctx.Err(); err != nil {
			return d, err
		}
		if err := s.Send(ctx, n); err != nil {
			d.Failed = append(d.Failed, Failure{Notice: n, Err: err})
			continue
		}
		d.Sent = append(d.Sent, n)
		if st == nil || n.ReviewCopy || n.Desk == "" {
			continue
		}
		if err := st.RecordSent(ctx, n.Record(now(), s.Name())); err != nil {
			return d, fmt.Errorf("%w: %s to %s was sent: %w", ErrRecord, n.MessageID, strings.Join(n.To, ", "), err)
		}
	}
	return d, nil
}

// Record is the SentRecord of a delivered notice.
func (n *Notice) Record(at time.Time, transport string) SentRecord {
	return SentRecord{
		MessageID: n.MessageID, SentAt: at, Desk: n.Desk, To: n.To,
		Template: n.Template, Subject: n.Subject, Probers: n.Probers,
		Keys: n.Keys, Transport: transport,
	}
}

// SMTPSender submits notices to an SMTP server with go-mail, over one
// connection opened on the first Send.
type SMTPSender struct {
	client *mail.Client
	open   bool
	raw    *smtp.Client // the connection of SendRaw
}

// NewSMTPSender prepares a client from the configuration. The password is
// read here, from the environment variable or file named in the
// configuration; it is kept only inside the client and never printed.
func NewSMTPSender(c SMTPConfig) (*SMTPSender, error) {
	if c.Host == "" {
		return nil, fmt.Errorf("notify.smtp.host is not set: %w", ErrConfig)
	}
	policy, err := tlsPolicy(c.TLS)
	if err != nil {
		return nil, err
	}
	opts := []mail.Option{
		mail.WithPort(c.Port), mail.WithTLSPolicy(policy), mail.WithTimeout(c.Timeout),
	}
	if c.TLS == TLSImplicit {
		opts = append(opts, mail.WithSSL())
	}
	if c.HELO != "" {
		opts = append(opts, mail.WithHELO(c.HELO))
	}
	if c.CAFile != "" {
		tc, err := tlsConfig(c)
		if err != nil {
			return nil, err
		}
		opts = append(opts, mail.WithTLSConfig(tc))
	}
	if c.Username != "" {
		pw, err := password(c)
		if err != nil {
			return nil, err
		}
		opts = append(opts, mail.WithUsername(c.Username), mail.WithPassword(pw), mail.WithSMTPAuth(authType(c.Auth)))
	}
	client, err := mail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("notify: smtp %s: %w", c.Host, err)
	}
	return &SMTPSender{client: client}, nil
}

// tlsConfig trusts only the certificates of c.CAFile.
func tlsConfig(c SMTPConfig) (*tls.Config, error) {
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, fmt.Errorf("notify.smtp.ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("notify.smtp.ca_file %s: no PEM certificates: %w", c.CAFile, ErrConfig)
	}
	return &tls.Config{RootCAs: pool, ServerName: c.Host, MinVersion: tls.VersionTLS12}, nil
}

func tlsPolicy(s string) (mail.TLSPolicy, error) {
	switch s {
	case TLSMandatory, TLSImplicit, "":
		return mail.TLSMandatory, nil
	case TLSOpportunistic:
		return mail.TLSOpportunistic, nil
	case TLSNone:
		return mail.NoTLS, nil
	}
	return 0, fmt.Errorf("notify.smtp.tls %q: want mandatory, opportunistic, implicit or none: %w", s, ErrConfig)
}

func authType(s string) mail.SMTPAuthType {
	if s == "" {
		return mail.SMTPAuthAutoDiscover
	}
	return mail.SMTPAuthType(strings.ToUpper(s))
}

// password reads the SMTP password from the environment or a file. Error
// messages name where it was looked for, never what was found.
func password(c SMTPConfig) (string, error) {
	if c.PasswordEnv != "" {
		if pw, ok := os.LookupEnv(c.PasswordEnv); ok && pw != "" {
			return pw, nil
		}
		if c.PasswordFile == "" {
			return "", fmt.Errorf("%w: environment variable %s is empty or unset", ErrNoPassword, c.PasswordEnv)
		}
	}
	data, err := os.ReadFile(c.PasswordFile)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrNoPassword, err)
	}
	pw := strings.TrimRight(string(data), "\r\n")
	if pw == "" {
		return "", fmt.Errorf("%w: %s is empty", ErrNoPassword, c.PasswordFile)
	}
	return pw, nil
}

// Name implements Sender.
func (s *SMTPSender) Name() string { return TransportSMTP }

// Send implements Sender. After a failure the connection is dropped and
// the next Send dials again, so one bad notice does not doom the rest.
func (s *SMTPSender) Send(ctx context.Context, n *Notice) error {
	m, err := n.wireMessage()
	if err != nil {
		return err
	}
	if !s.open {
		if err := s.client.DialWithContext(ctx); err != nil {
			return fmt.Errorf("%w: %s: %w", ErrSend, s.client.ServerAddr(), err)
		}
		s.open = true
	}
	if err := s.client.Send(m); err != nil {
		s.Close()
		return fmt.Errorf("%w: %s to %s: %w", ErrSend, n.MessageID, strings.Join(n.To, ", "), err)
	}
	return nil
}

// Close implements Sender.
func (s *SMTPSender) Close() error {
	if err := s.closeRaw(); err != nil || !s.open {
		return err
	}
	s.open = false
	return s.client.Close()
}

// SendmailSender pipes notices into a sendmail-compatible binary
// ("sendmail -oi -t -f SENDER": recipients from the headers, envelope
// sender set explicitly).
type SendmailSender struct {
	Path string
}

// Name implements Sender.
func (s SendmailSender) Name() string { return TransportSendmail }

// Close implements Sender.
func (s SendmailSender) Close() error { return nil }

// Send implements Sender.
func (s SendmailSender) Send(ctx context.Context, n *Notice) error {
	m, err := n.wireMessage()
	if err != nil {
		return err
	}
	if strings.HasPrefix(n.EnvelopeFrom, "-") {
		return fmt.Errorf("%w: envelope sender %q", ErrAddress, n.EnvelopeFrom)
	}
	if err := m.WriteToSendmailWithContext(ctx, s.Path, "-f", n.EnvelopeFrom); err != nil {
		return fmt.Errorf("%w: %s via %s: %w", ErrSend, n.MessageID, s.Path, err)
	}
	return nil
}

// IsTemporary reports whether a send failure is worth retrying later
// (an SMTP 4xx reply).
func IsTemporary(err error) bool {
	var se *mail.SendError
	return errors.As(err, &se) && se.IsTemp()
}
