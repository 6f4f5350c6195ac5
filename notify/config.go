package notify

import (
	"fmt"
	"net/mail"
	"net/netip"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Config is the "notify" section of the configuration file. Its fields carry
// yaml tags; the config package decodes it strictly (unknown keys are errors).
// Defaults are applied by WithDefaults; docs/notify.md lists every key.
type Config struct {
	// From is the role mailbox notices come from, e.g.
	// "Example Postmaster <postmaster@example.org>". Callout-doing
	// recipients will call it back: it must exist and accept mail, and
	// should be exempt from your own greylisting.
	From string `yaml:"from"`
	// ReplyTo, if set, is where replies go (default: From).
	ReplyTo string `yaml:"reply_to"`
	// EnvelopeFrom is the SMTP MAIL FROM (default: From's address).
	EnvelopeFrom string `yaml:"envelope_from"`
	// Name and Organisation sign the notices.
	Name         string `yaml:"name"`
	Organisation string `yaml:"organisation"`
	Phone        string `yaml:"phone"`
	// TimeZone names the zone every time in a notice is shown in (an IANA
	// name such as Europe/Oslo; default: UTC).
	TimeZone string `yaml:"time_zone"`
	// MXIPs are the addresses of the operator's mail exchangers, named in
	// callback notices as the hosts the probes reached.
	MXIPs []string `yaml:"mx_ips"`
	// InfoURL points to a longer explanation of why callbacks hurt.
	InfoURL string `yaml:"info_url"`
	// Templates is a directory of *.tmpl files overriding the defaults.
	Templates string `yaml:"templates"`
	// Template is the template used when --template is not given.
	Template string `yaml:"template"`
	// Recipients chooses contacts per prober: "best" (the best-ranked
	// contact) or "all" (every contact found).
	Recipients string `yaml:"recipients"`
	// MinConfidence drops contacts below this confidence (0..1).
	MinConfidence float64 `yaml:"min_confidence"`
	// Suppress lists addresses ("abuse@example.net") and domains
	// ("example.net" or "@example.net") never to write to: desks that
	// bounce, auto-reply or answer everything with a form.
	Suppress []string `yaml:"suppress"`
	// Cooldown is the least time between two notices to the same desk.
	Cooldown time.Duration `yaml:"cooldown"`
	// MaxPerRun caps the notices one run sends (or writes for review).
	MaxPerRun int `yaml:"max_per_run"`
	// XARF asked for an X-ARF 0.2 report part; it is refused (ErrNoXARF),
	// and kept only so that a configuration setting it gets that reason.
	XARF bool `yaml:"x_arf"`
	// Transport is "smtp" or "sendmail".
	Transport string `yaml:"transport"`
	// Sendmail is the path of the sendmail binary.
	Sendmail string     `yaml:"sendmail"`
	SMTP     SMTPConfig `yaml:"smtp"`
}

// SMTPConfig is how --send reaches the submission server.
type SMTPConfig struct {
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// TLS is "mandatory" (default: STARTTLS required; "starttls" is the same,
	// as in watch.mail), "opportunistic"
	// (STARTTLS when offered), "implicit" (TLS from the first byte, port
	// 465, RFC 8314) or "none".
	TLS string `yaml:"tls"`
	// Username enables SMTP AUTH; the password is read from the
	// environment variable PasswordEnv or the file PasswordFile, never from
	// the configuration file itself, and is never logged or printed.
	Username     string `yaml:"username"`
	PasswordEnv  string `yaml:"password_env"`
	PasswordFile string `yaml:"password_file"`
	// Auth is the mechanism: "" (the best the server offers), plain,
	// login, cram-md5, scram-sha-256…
	Auth string `yaml:"auth"`
	// CAFile is a PEM file of certificates to trust for STARTTLS instead
	// of the system roots (a private submission server).
	CAFile string `yaml:"ca_file"`
	// HELO is the name to greet with (default: the host name).
	HELO    string        `yaml:"helo"`
	Timeout time.Duration `yaml:"timeout"`
}

// Defaults.
const (
	DefaultCooldown  = 7 * 24 * time.Hour
	DefaultMaxPerRun = 25
	DefaultInfoURL   = "https://bsdly.blogspot.com/2017/08/twenty-plus-years-on-smtp-callbacks-are.html"
	DefaultSendmail  = "/usr/sbin/sendmail"
	DefaultSMTPPort  = 587
	DefaultSMTPSPort = 465
	DefaultTimeout   = 30 * time.Second
)

// Recipient policies.
const (
	RecipientsBest = "best"
	RecipientsAll  = "all"
)

// Transports.
const (
	TransportSMTP     = "smtp"
	TransportSendmail = "sendmail"
)

// STARTTLS policies.
const (
	TLSMandatory     = "mandatory"
	TLSStartTLS      = "starttls" // accepted as another name for mandatory
	TLSOpportunistic = "opportunistic"
	TLSImplicit      = "implicit"
	TLSNone          = "none"
)

// WithDefaults fills in every unset field.
func (c Config) WithDefaults() Config {
	set := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	set(&c.Recipients, RecipientsBest)
	set(&c.Transport, TransportSMTP)
	set(&c.Sendmail, DefaultSendmail)
	set(&c.InfoURL, DefaultInfoURL)
	set(&c.SMTP.TLS, TLSMandatory)
	if c.SMTP.TLS == TLSStartTLS {
		c.SMTP.TLS = TLSMandatory // the same policy under the name watch.mail uses
	}
	if c.Cooldown == 0 {
		c.Cooldown = DefaultCooldown
	}
	if c.MaxPerRun == 0 {
		c.MaxPerRun = DefaultMaxPerRun
	}
	if c.SMTP.Port == 0 {
		c.SMTP.Port = DefaultSMTPPort
		if c.SMTP.TLS == TLSImplicit {
			c.SMTP.Port = DefaultSMTPSPort
		}
	}
	if c.SMTP.Timeout == 0 {
		c.SMTP.Timeout = DefaultTimeout
	}
	return c
}

// Validate checks the section after defaults, naming the bad key.
func (c Config) Validate() error {
	for key, v := range map[string]string{"notify.from": c.From, "notify.reply_to": c.ReplyTo, "notify.envelope_from": c.EnvelopeFrom} {
		if v == "" {
			continue
		}
		if _, err := ParseAddress(v); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	for _, ip := range c.MXIPs {
		if _, err := netip.ParseAddr(ip); err != nil {
			return fmt.Errorf("notify.mx_ips %q: not an IP address: %w", ip, ErrConfig)
		}
	}
	if c.TimeZone != "" {
		if _, err := time.LoadLocation(c.TimeZone); err != nil {
			return fmt.Errorf("notify.time_zone %q: %w", c.TimeZone, err)
		}
	}
	if err := oneOf("notify.recipients", c.Recipients, RecipientsBest, RecipientsAll); err != nil {
		return err
	}
	if err := oneOf("notify.transport", c.Transport, TransportSMTP, TransportSendmail); err != nil {
		return err
	}
	if err := oneOf("notify.smtp.tls", c.SMTP.TLS, TLSMandatory, TLSOpportunistic, TLSImplicit, TLSNone); err != nil {
		return err
	}
	if c.MinConfidence < 0 || c.MinConfidence > 1 {
		return fmt.Errorf("notify.min_confidence %v: want 0..1: %w", c.MinConfidence, ErrConfig)
	}
	if c.Cooldown < 0 || c.MaxPerRun < 0 {
		return fmt.Errorf("notify.cooldown and notify.max_per_run must not be negative: %w", ErrConfig)
	}
	if c.SMTP.Username != "" && c.SMTP.PasswordEnv == "" && c.SMTP.PasswordFile == "" {
		return fmt.Errorf("notify.smtp.username is set: set password_env or password_file too: %w", ErrConfig)
	}
	return nil
}

func oneOf(key, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%s %q: want %s: %w", key, v, strings.Join(allowed, ", "), ErrConfig)
}

// ParseAddress parses one RFC 5322 address (net/mail), refusing control
// characters first: a header value with CR or LF is an injection attempt,
// and a bidi control (which net/mail accepts as UTF-8) disguises where a
// notice goes. (%q in the error quotes them, so the message itself stays
// one line.)
func ParseAddress(s string) (*mail.Address, error) {
	if strings.ContainsFunc(s, textsafe.Unsafe) {
		return nil, fmt.Errorf("%w: control character or line break in address %q", ErrHeader, s)
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrAddress, s, err)
	}
	if strings.ContainsFunc(a.Address, func(r rune) bool { return r < 0x21 || r == 0x7f }) || !strings.Contains(a.Address, "@") {
		return nil, fmt.Errorf("%w: %q", ErrAddress, s)
	}
	return a, nil
}
