package main

import (
	"testing"

	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// A watch that borrows notify's server also borrows how to reach it: the
// private CA and the HELO name, or its alerts fail where notices go through.
func TestMailSettingsCarryCAAndHELO(t *testing.T) {
	n := notify.Config{From: "abuse-desk@example.org", SMTP: notify.SMTPConfig{Host: "smtp.example.org",
		CAFile: "/etc/ssl/private-ca.pem", HELO: "mx.example.org"}}
	m, err := mailSettings(watch.MailConfig{To: []string{"postmaster@example.org"}}, n)
	if err != nil {
		t.Fatal(err)
	}
	if m.CAFile != "/etc/ssl/private-ca.pem" || m.HELO != "mx.example.org" {
		t.Errorf("merged = %+v", m)
	}
}
