package notify

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func decodeConfig(t *testing.T, text string) (Config, error) {
	t.Helper()
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader([]byte(text)))
	dec.KnownFields(true)
	err := dec.Decode(&c)
	return c, err
}

func TestConfigDecodesAndDefaults(t *testing.T) {
	c, err := decodeConfig(t, `
from: "Example Postmaster <postmaster@example.org>"
time_zone: Europe/Oslo
suppress: [abuse@registry.example, "@bounces.example"]
cooldown: 72h
max_per_run: 5
smtp:
  host: smtp.example.org
  tls: opportunistic
  username: notifier
  password_env: DNSBLAUDIT_SMTP_PASSWORD
  timeout: 10s
`)
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Cooldown != 72*time.Hour || c.MaxPerRun != 5 || c.SMTP.Timeout != 10*time.Second || c.SMTP.Port != DefaultSMTPPort ||
		c.Recipients != RecipientsBest || c.Transport != TransportSMTP || len(c.Suppress) != 2 {
		t.Errorf("decoded %+v", c)
	}
	d := Config{}.WithDefaults()
	if d.Cooldown != DefaultCooldown || d.MaxPerRun != DefaultMaxPerRun || d.SMTP.TLS != TLSMandatory || d.Sendmail != DefaultSendmail {
		t.Errorf("defaults %+v", d)
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	cases := map[string]string{
		"from: \"a@b\\r\\nBcc: c@d\"":  "notify.from",
		"reply_to: not an address":     "notify.reply_to",
		"time_zone: Mars/Olympus":      "notify.time_zone",
		"recipients: some":             "notify.recipients",
		"transport: pigeon":            "notify.transport",
		"smtp: {tls: maybe}":           "notify.smtp.tls",
		"min_confidence: 2":            "notify.min_confidence",
		"smtp: {host: h, username: u}": "notify.smtp.username",
	}
	for text, key := range cases {
		c, err := decodeConfig(t, text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		err = c.WithDefaults().Validate()
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: err = %v, want one naming %s", text, err, key)
		}
	}
	if _, err := decodeConfig(t, "smtp: {password: hunter2}"); err == nil {
		t.Error("a password in the configuration file was accepted")
	}
	c, _ := decodeConfig(t, "from: \"a@b\\r\\nBcc: c@d\"")
	if err := c.Validate(); !errors.Is(err, ErrHeader) {
		t.Errorf("CRLF in from: %v, want ErrHeader", err)
	}
}
