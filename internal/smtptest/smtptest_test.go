package smtptest

import (
	"net/smtp"
	"strconv"
	"testing"
)

func TestServerRecordsAndRejects(t *testing.T) {
	s := Start(t, Options{Reject: []string{"no@example.net"}})
	addr := s.Host + ":" + strconv.Itoa(s.Port)
	msg := []byte("Subject: hi\r\n\r\nbody\r\n")
	if err := smtp.SendMail(addr, nil, "a@example.org", []string{"b@example.net"}, msg); err != nil {
		t.Fatal(err)
	}
	if err := smtp.SendMail(addr, nil, "a@example.org", []string{"no@example.net"}, msg); err == nil {
		t.Error("rejected recipient was accepted")
	}
	got := s.Messages(t)
	if len(got) != 1 || got[0].MailFrom != "a@example.org" || got[0].RcptTos[0] != "b@example.net" {
		t.Fatalf("messages = %+v", got)
	}
}
