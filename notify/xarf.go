package notify

import (
	"bytes"
	"fmt"
	"net/netip"
	"strconv"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// X-ARF 0.2 (x-arf.org): the report is the second MIME part, report.txt,
// a YAML mapping. No published schema covers callouts; like blocklist.de
// we report them as Category "info", Report-Type "harvesting", and point
// at the login-attack schema, the nearest one.
const (
	xarfSchema   = "http://www.x-arf.org/schema/abuse_login-attack_0.1.2.json"
	xarfReport   = "report.txt"
	xarfEvidence = "evidence.log"
)

// xarfParts builds report.txt and the log part for one prober. Every
// value is either ours, validated (IP, address), or a number, so the YAML
// needs no quoting; the log lines go in their own part, sanitised.
func xarfParts(n Notice, p evidence.Prober, opts Options) (report, logs []byte) {
	from, _ := ParseAddress(n.From)
	var b bytes.Buffer
	field := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	field("Reported-From", from.Address)
	field("Category", "info")
	field("Report-Type", "harvesting")
	field("Service", "smtp")
	field("Port", "25")
	field("Version", "0.2")
	field("User-Agent", userAgent)
	field("Report-ID", "<"+n.MessageID+">")
	field("Date", p.FirstSeen.In(opts.Zone).Format(time.RFC1123Z))
	if a, err := netip.ParseAddr(p.IP); err == nil {
		kind := "ipv6"
		if a.Unmap().Is4() {
			kind = "ipv4"
		}
		field("Source-Type", kind)
		field("Source", a.Unmap().String())
	}
	field("Attachment", "text/plain")
	field("Schema-URL", xarfSchema)
	field("Occurrences", strconv.Itoa(p.Probes))
	var l bytes.Buffer
	for _, e := range p.Events {
		for _, line := range e.Lines {
			l.WriteString(textsafe.Line(line.Raw) + "\n")
		}
	}
	return b.Bytes(), l.Bytes()
}

// attachXARF adds the two X-ARF parts after the human-readable text,
// which makes go-mail write multipart/mixed. report.txt is short ASCII
// lines with CRLF ends, sent as is so that people and parsers read it
// directly; the log part can hold long lines and UTF-8, so it is base64.
// (go-mail offers no quoted-printable for attachments.)
func (n *Notice) attachXARF(m *mail.Msg) error {
	if n.XARFReport == nil {
		return nil
	}
	parts := []struct {
		name string
		data []byte
		enc  mail.Encoding
	}{{xarfReport, n.XARFReport, mail.NoEncoding}, {xarfEvidence, n.XARFEvidence, mail.EncodingB64}}
	for _, p := range parts {
		err := m.AttachReader(p.name, bytes.NewReader(p.data),
			mail.WithFileContentType(mail.ContentType("text/plain; charset=utf-8")),
			mail.WithFileEncoding(p.enc))
		if err != nil {
			return fmt.Errorf("notify: attaching %s: %w", p.name, err)
		}
	}
	return nil
}
