package watch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// MailConfig is the "watch.mail" section: where change alerts go by SMTP.
// The password is never in the file: PasswordEnv names the environment
// variable that holds it (or PasswordFile a file), and it is never logged
// or printed. Without a host, the command takes the server settings from
// the notify section's smtp (see cmd/dnsblaudit/watch_mail.go).
type MailConfig struct {
	Host string   `yaml:"host"` // empty: no mail
	Port int      `yaml:"port"` // default 587 (465 with tls: implicit)
	From string   `yaml:"from"`
	To   []string `yaml:"to"`
	// TLS is "starttls" (default, required), "opportunistic", "implicit"
	// (SMTPS, RFC 8314) or "none" (only for a local relay).
	TLS          string        `yaml:"tls"`
	Username     string        `yaml:"username"`
	PasswordEnv  string        `yaml:"password_env"`
	PasswordFile string        `yaml:"password_file"`
	Timeout      time.Duration `yaml:"timeout"`
	// SubjectPrefix starts every alert subject (default "[dnsblaudit]").
	SubjectPrefix string `yaml:"subject_prefix"`
	// InsecureSkipVerify accepts any server certificate (tests, or a
	// relay with a self-signed certificate on a trusted network).
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
	// CAFile, if set, is the only CA trusted for the server's certificate
	// (a private submission server), as notify.smtp.ca_file.
	CAFile string `yaml:"ca_file"`
	// HELO is the name given in EHLO/HELO (default: go-mail's, localhost).
	HELO string `yaml:"helo"`
}

// Enabled reports whether alerts should be mailed.
func (m MailConfig) Enabled() bool { return m.Host != "" }

func (m MailConfig) withDefaults() MailConfig {
	if m.TLS == "" {
		m.TLS = "starttls"
	}
	if m.Port == 0 {
		m.Port = 587
		if m.TLS == "implicit" {
			m.Port = 465
		}
	}
	if m.Timeout == 0 {
		m.Timeout = DefaultMailTimeout
	}
	if m.SubjectPrefix == "" {
		m.SubjectPrefix = "[dnsblaudit]"
	}
	return m
}

func (m MailConfig) validate() error {
	if !m.Enabled() {
		return nil
	}
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("watch.mail.%s %v: want %s: %w", field, v, want, ErrBadConfig)
	}
	switch {
	case m.From == "" || textsafe.HasLineBreak(m.From):
		return bad("from", m.From, "one address")
	case len(m.To) == 0:
		return bad("to", m.To, "at least one address")
	case m.Port < 0 || m.Port > 65535:
		return bad("port", m.Port, "1 to 65535")
	case !validTLSPolicy(m.TLS):
		return bad("tls", m.TLS, "starttls, opportunistic, implicit or none")
	case m.Username != "" && m.PasswordEnv == "" && m.PasswordFile == "":
		return bad("password_env", `""`, "the name of the environment variable holding the password (or password_file)")
	case textsafe.HasLineBreak(m.SubjectPrefix):
		return bad("subject_prefix", "(has a line break)", "one line")
	}
	for i, to := range m.To {
		if to == "" || textsafe.HasLineBreak(to) {
			return bad(fmt.Sprintf("to[%d]", i), to, "one address")
		}
	}
	return nil
}

func validTLSPolicy(s string) bool {
	switch s {
	case "", "starttls", "mandatory", "opportunistic", "implicit", "none": // mandatory: notify's name for starttls
		return true
	}
	return false
}

// Mailer sends one plain-text message. The notify package's sender can
// stand in for SMTPMailer.
type Mailer interface {
	Send(ctx context.Context, subject, body string) error
}

// SMTPMailer sends alerts with go-mail.
type SMTPMailer struct {
	cfg      MailConfig
	password string
	roots    *x509.CertPool // from CAFile; nil: the system's
	now      func() time.Time
}

// NewSMTPMailer reads the password from cfg.PasswordEnv now, so that a
// missing variable is reported at start, not at the first alert.
func NewSMTPMailer(cfg MailConfig, now func() time.Time) (*SMTPMailer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	m := &SMTPMailer{cfg: cfg, now: now}
	pw, err := readPassword(cfg)
	if err != nil {
		return nil, err
	}
	m.password = pw
	if m.roots, err = readCAFile(cfg.CAFile); err != nil {
		return nil, err
	}
	if m.now == nil {
		m.now = time.Now
	}
	return m, nil
}

// readCAFile loads the PEM certificates of path, read at start so that a
// wrong path is reported before the first alert.
func readCAFile(path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("watch.mail.ca_file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("watch.mail.ca_file %s: no PEM certificates: %w", path, ErrBadConfig)
	}
	return pool, nil
}

// readPassword reads the SMTP password from the environment or a file,
// without ever putting it in an error message.
func readPassword(cfg MailConfig) (string, error) {
	switch {
	case cfg.PasswordEnv != "":
		pw, ok := os.LookupEnv(cfg.PasswordEnv)
		if !ok {
			return "", fmt.Errorf("watch.mail.password_env: $%s is not set: %w", cfg.PasswordEnv, ErrBadConfig)
		}
		return pw, nil
	case cfg.PasswordFile != "":
		data, err := os.ReadFile(cfg.PasswordFile)
		if err != nil {
			return "", fmt.Errorf("watch.mail.password_file: %w", err)
		}
		return strings.TrimRight(string(data), "\r\n"), nil
	}
	return "", nil
}

// Send delivers the message to every recipient. Errors name the server,
// never the credentials.
func (m *SMTPMailer) Send(ctx context.Context, subject, body string) error {
	msg, err := m.message(subject, body)
	if err != nil {
		return err
	}
	c, err := mail.NewClient(m.cfg.Host, m.clientOptions()...)
	if err != nil {
		return fmt.Errorf("mail via %s: %w", m.server(), err)
	}
	ctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail via %s: %w", m.server(), err)
	}
	return nil
}

func (m *SMTPMailer) server() string {
	return net.JoinHostPort(m.cfg.Host, fmt.Sprint(m.cfg.Port))
}

// message builds the mail; a subject with a line break is refused, not
// cleaned, since cleaning would hide a header injection attempt.
func (m *SMTPMailer) message(subject, body string) (*mail.Msg, error) {
	if textsafe.HasLineBreak(subject) {
		return nil, fmt.Errorf("mail subject contains a line break: %w", ErrBadConfig)
	}
	msg := mail.NewMsg()
	if err := msg.From(m.cfg.From); err != nil {
		return nil, fmt.Errorf("watch.mail.from: %w", err)
	}
	if err := msg.To(m.cfg.To...); err != nil {
		return nil, fmt.Errorf("watch.mail.to: %w", err)
	}
	msg.Subject(m.cfg.SubjectPrefix + " " + subject)
	msg.SetDateWithValue(m.now())
	msg.SetMessageID()
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated") // RFC 3834: no auto-replies
	msg.SetBodyString(mail.TypeTextPlain, textsafe.Text(body))
	return msg, nil
}

func (m *SMTPMailer) clientOptions() []mail.Option {
	opts := []mail.Option{mail.WithPort(m.cfg.Port), mail.WithTimeout(m.cfg.Timeout)}
	switch m.cfg.TLS {
	case "implicit":
		opts = append(opts, mail.WithSSL())
	case "opportunistic":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case "none":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	switch {
	case m.cfg.InsecureSkipVerify:
		opts = append(opts, mail.WithTLSConfig(&tls.Config{ServerName: m.cfg.Host, InsecureSkipVerify: true})) //nolint:gosec // opted in by configuration
	case m.roots != nil:
		opts = append(opts, mail.WithTLSConfig(&tls.Config{ServerName: m.cfg.Host, RootCAs: m.roots, MinVersion: tls.VersionTLS12}))
	}
	if m.cfg.HELO != "" {
		opts = append(opts, mail.WithHELO(m.cfg.HELO))
	}
	if m.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(m.cfg.Username), mail.WithPassword(m.password))
	}
	return opts
}

// mailSubject summarises a run's changes in one line.
func mailSubject(cs []Change) string {
	first := textsafe.Line(cs[0].Headline())
	if len(cs) == 1 {
		return first
	}
	return fmt.Sprintf("%s (+%d more)", first, len(cs)-1)
}

// mailBody is the plain-text alert: each change with its reason and the
// list's delisting URL.
func mailBody(rep *Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dnsblaudit run %d at %s found %d change(s):\n\n", rep.RunID,
		rep.Finished.UTC().Format(time.RFC3339), len(rep.Changes))
	for _, c := range rep.Changes {
		c.writeText(&b)
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Checked %d target(s) on %d list(s): %s.\n", rep.Targets, rep.Lists, rep.CountsLine())
	return b.String()
}
