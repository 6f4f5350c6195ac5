package notify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	mail "github.com/wneessen/go-mail"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/templates"
)

// Headers of our own. Auto-Submitted is RFC 3834 §5.
const (
	headerAutoSubmitted  mail.Header = "Auto-Submitted"
	headerNeedsRecipient mail.Header = "X-Dnsblaudit-Needs-Recipient"
	headerNeedsReview    mail.Header = "X-Dnsblaudit-Needs-Review"
	headerOriginalTo     mail.Header = "X-Dnsblaudit-Original-To"
)

// userAgent names the program without its version: a version number in
// mail to strangers only helps someone looking for a vulnerable one.
const userAgent = "dnsblaudit"

// Message builds the go-mail message of the notice, as it is written for
// review (with the X-Dnsblaudit-* notes to the reviewer). Every header
// value is checked for control characters first and refused if it has any.
func (n *Notice) Message() (*mail.Msg, error) { return n.message(true) }

// wireMessage is the message as it is sent: without the X-Dnsblaudit-*
// notes, which are for the reviewer (docs/notify.md), unless it is a
// review copy (--to), which goes to the reviewer.
func (n *Notice) wireMessage() (*mail.Msg, error) { return n.message(n.ReviewCopy) }

func (n *Notice) message(notes bool) (*mail.Msg, error) {
	m := mail.NewMsg(mail.WithNoDefaultUserAgent(), mail.WithBoundary(n.boundary()))
	if err := n.setAddresses(m); err != nil {
		return nil, err
	}
	for _, h := range n.headers() {
		if !notes && strings.HasPrefix(string(h.name), InternalHeaderPrefix) {
			continue
		}
		if err := checkHeader(string(h.name), h.value); err != nil {
			return nil, err
		}
		m.SetGenHeader(h.name, h.value)
	}
	if err := checkHeader("Message-ID", n.MessageID); err != nil || strings.ContainsAny(n.MessageID, "<> ") {
		return nil, fmt.Errorf("%w: Message-ID %q", ErrHeader, n.MessageID)
	}
	m.SetMessageIDWithValue(n.MessageID)
	m.SetDateWithValue(n.Date)
	m.SetBodyString(mail.TypeTextPlain, n.Body)
	return m, nil
}

type header struct {
	name  mail.Header
	value string
}

// headers are the generic headers of the notice (go-mail writes them
// sorted by name, before the address headers).
func (n *Notice) headers() []header {
	hs := []header{
		{headerAutoSubmitted, "auto-generated"},
		{mail.HeaderUserAgent, userAgent},
		{mail.HeaderSubject, n.Subject},
	}
	if n.NeedsRecipient {
		hs = append(hs, header{headerNeedsRecipient, n.needsRecipientNote()})
	}
	if n.NeedsReview {
		hs = append(hs, header{headerNeedsReview, "the contact was found in weak evidence; confirm it before sending"})
	}
	if n.OriginalTo != "" {
		hs = append(hs, header{headerOriginalTo, n.OriginalTo})
	}
	return hs
}

// needsRecipientNote tells the reviewer why a draft has no To. A
// listing-evidence or vendor-inquiry notice goes to the list's operator or
// the vendor, whom no abuse contact lookup finds: its probers are not the
// reason.
func (n *Notice) needsRecipientNote() string {
	switch n.Template {
	case templates.ListingEvidence:
		return "addressed to no one: this goes to the list's operator (most lists take it only" +
			" through a web form: paste the text there); add a To address before sending"
	case templates.VendorInquiry:
		return "addressed to no one: this goes to the vendor; add a To address before sending"
	}
	return "no abuse contact found for " + strings.Join(n.Probers, ", ") + "; add a To address before sending"
}

func (n *Notice) setAddresses(m *mail.Msg) error {
	if err := m.From(n.From); err != nil {
		return fmt.Errorf("%w: From %q: %w", ErrAddress, n.From, err)
	}
	if err := m.ReplyTo(n.ReplyTo); err != nil {
		return fmt.Errorf("%w: Reply-To %q: %w", ErrAddress, n.ReplyTo, err)
	}
	if err := m.EnvelopeFrom(n.EnvelopeFrom); err != nil {
		return fmt.Errorf("%w: envelope sender %q: %w", ErrAddress, n.EnvelopeFrom, err)
	}
	for _, to := range n.To {
		a, err := ParseAddress(to)
		if err != nil {
			return err
		}
		if err := m.AddTo(a.Address); err != nil {
			return fmt.Errorf("%w: To %q: %w", ErrAddress, to, err)
		}
	}
	return nil
}

// checkHeader refuses control characters (CR and LF above all) and bidi
// controls in a header value: cleaning them would hide an attack, not
// stop it.
func checkHeader(name, v string) error {
	if strings.ContainsFunc(v, textsafe.Unsafe) {
		return fmt.Errorf("%w: control character in %s %q", ErrHeader, name, v)
	}
	return nil
}

// boundary is derived from the Message-ID, so the same notice always
// renders to the same bytes and two notices never share a boundary. The
// hex of a hash does not occur in the parts' text by accident.
func (n *Notice) boundary() string {
	sum := sha256.Sum256([]byte(n.MessageID))
	return "dnsblaudit-" + hex.EncodeToString(sum[:12])
}

// WriteTo writes the notice as an RFC 5322 message (CRLF line ends).
func (n *Notice) WriteTo(w io.Writer) (int64, error) {
	m, err := n.Message()
	if err != nil {
		return 0, err
	}
	return m.WriteTo(w)
}

// Bytes is the notice as an .eml file.
func (n *Notice) Bytes() ([]byte, error) {
	var b bytes.Buffer
	_, err := n.WriteTo(&b)
	return b.Bytes(), err
}
