package main

import (
	"fmt"

	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// mailSettings completes watch.mail from the notify section: an operator
// who already configured notify's submission server only names the
// alert recipients (watch.mail.to). Settings in watch.mail win.
func mailSettings(m watch.MailConfig, n notify.Config) (watch.MailConfig, error) {
	if m.Host != "" || len(m.To) == 0 {
		return m, nil
	}
	s := n.SMTP
	if s.Host == "" {
		return m, fmt.Errorf("watch.mail.to is set, but neither watch.mail.host nor notify.smtp.host names a server: %w", watch.ErrBadConfig)
	}
	m.Host, m.Port, m.Username = s.Host, s.Port, s.Username
	if m.TLS == "" {
		m.TLS = s.TLS
	}
	if m.PasswordEnv == "" && m.PasswordFile == "" {
		m.PasswordEnv, m.PasswordFile = s.PasswordEnv, s.PasswordFile
	}
	if m.Timeout == 0 {
		m.Timeout = s.Timeout
	}
	if m.From == "" {
		m.From = n.From
	}
	if m.CAFile == "" {
		m.CAFile = s.CAFile
	}
	if m.HELO == "" {
		m.HELO = s.HELO
	}
	return m, nil
}
