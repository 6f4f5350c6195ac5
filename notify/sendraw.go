package notify

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/wneessen/go-mail/smtp"
)

// SendRaw implements RawSender: the message's bytes go into DATA as they
// are (the SMTP client only dot-stuffs them, RFC 5321 §4.5.2, and the
// server removes the dots again). The connection is go-mail's, with the
// configured TLS policy and AUTH, opened on the first message and kept.
func (s *SMTPSender) SendRaw(ctx context.Context, envelopeFrom string, to []string, data []byte) error {
	if s.raw == nil {
		c, err := s.client.DialToSMTPClientWithContext(ctx)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrSend, s.client.ServerAddr(), err)
		}
		s.raw = c
	}
	if err := rawTransaction(s.raw, envelopeFrom, to, data); err != nil {
		s.raw.Close()
		s.raw = nil
		return fmt.Errorf("%w: to %s: %w", ErrSend, strings.Join(to, ", "), err)
	}
	return nil
}

func rawTransaction(c *smtp.Client, from string, to []string, data []byte) error {
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func (s *SMTPSender) closeRaw() error {
	if s.raw == nil {
		return nil
	}
	err := s.client.CloseWithSMTPClient(s.raw)
	s.raw = nil
	return err
}

// SendRaw implements RawSender: "sendmail -oi -f SENDER -- RCPT…", with
// the message on standard input in the local convention (LF line ends;
// sendmail writes CRLF on the wire), and only PATH in its environment, so
// no secret of ours reaches it.
func (s SendmailSender) SendRaw(ctx context.Context, envelopeFrom string, to []string, data []byte) error {
	for _, a := range append([]string{envelopeFrom}, to...) {
		if strings.HasPrefix(a, "-") {
			return fmt.Errorf("%w: address %q", ErrAddress, a)
		}
	}
	args := append([]string{"-oi", "-f", envelopeFrom, "--"}, to...)
	cmd := exec.CommandContext(ctx, s.Path, args...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}
	cmd.Stdin = bytes.NewReader(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: via %s: %w: %s", ErrSend, s.Path, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
