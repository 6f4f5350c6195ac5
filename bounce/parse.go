package bounce

import (
	"bufio"
	"bytes"
	"io"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// maxField bounds the length of a field read from a bounce.
const maxField = 2000

// Parsed is what one message says: its failed recipients, and what could
// not be read of it.
type Parsed struct {
	Failures []Failure
	Warnings []string
}

// Parse reads one message (LF line endings: see SplitMessages). It never
// fails: a message with no readable header is read as a body, a broken
// MIME part as far as it goes, each with a warning. Failures are not
// classified (Classifier.Classify).
func Parse(raw []byte) Parsed {
	var p parts
	h, body := readHeader(raw, &p)
	p.walk(h, bytes.NewReader(body), 0)
	date := parseDate(h.Get("Date"))

	var msg dsnMessage
	var rcpts []dsnRecipient
	for _, d := range p.dsn {
		m, rs := parseDSN(string(d))
		msg = mergeMessage(msg, m)
		rcpts = append(rcpts, rs...)
	}
	if len(p.dsn) == 0 {
		for _, t := range p.text {
			if b := inlineDSNBody(t); b != "" {
				m, rs := parseDSN(b)
				msg = mergeMessage(msg, m)
				rcpts = append(rcpts, rs...)
			}
		}
	}
	var texts []textFailure
	for _, t := range p.text {
		for _, tf := range textFailures(t) {
			texts = appendFailure(texts, tf)
		}
	}
	failures := merge(msg, rcpts, texts, date)
	if len(failures) == 0 {
		failures = headerFailures(h.Get("X-Failed-Recipients"), date)
	}
	return Parsed{Failures: failures, Warnings: p.warnings}
}

// headerFailures are the recipients of an X-Failed-Recipients header
// (Exim's, also written by Google Groups) when the body says nothing
// readable about them: a failure with no reason is still a failure.
func headerFailures(v string, date *time.Time) []Failure {
	var out []Failure
	for _, a := range strings.Split(v, ",") {
		if a = clean(address(a)); a != "" && emailAddr.MatchString(a) && len(out) < maxRecipients {
			f := Failure{Recipient: a, Source: "header"}
			setTime(&f, nil, nil, date)
			out = append(out, f)
		}
	}
	return out
}

// readHeader splits the header from the body. A message whose header
// net/mail cannot read is taken field by field as far as textproto can,
// else read whole as a body.
func readHeader(raw []byte, p *parts) (textproto.MIMEHeader, []byte) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err == nil {
		body, _ := io.ReadAll(m.Body) // a bytes.Reader underneath: cannot fail
		return textproto.MIMEHeader(m.Header), body
	}
	p.warn("header: %v", err)
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	h, _ := r.ReadMIMEHeader()
	if i := bytes.Index(raw, []byte("\n\n")); i >= 0 && len(h) > 0 {
		return h, raw[i+2:]
	}
	return textproto.MIMEHeader{}, raw
}

func mergeMessage(a, b dsnMessage) dsnMessage {
	if a.reportingMTA == "" {
		a.reportingMTA = b.reportingMTA
	}
	if a.arrival == nil {
		a.arrival = b.arrival
	}
	return a
}

// merge builds the failures: the delivery-status recipients when there
// are any (their reason completed from the text part when the report
// leaves it out or cuts it short), else those read from the text.
func merge(msg dsnMessage, rcpts []dsnRecipient, texts []textFailure, date *time.Time) []Failure {
	var out []Failure
	for _, r := range rcpts {
		switch r.action {
		case "delivered", "relayed", "expanded":
			continue // not a failure (RFC 3464 §2.3.3); other values (SendGrid's "expired") are
		}
		f := Failure{
			Recipient: clean(r.address()), Action: r.action, Status: clean(r.status),
			RemoteMTA: clean(r.remoteMTA), ReportingMTA: clean(msg.reportingMTA),
			Diagnostic: clean(oneLine(r.diag)), Source: "delivery-status",
		}
		if tf, ok := textFor(f.Recipient, texts, len(rcpts)); ok {
			if f.Diagnostic == "" || (tf.reply && len(tf.diag) > len(f.Diagnostic) && !strings.Contains(f.Diagnostic, " ")) {
				f.Diagnostic = clean(tf.diag)
			}
			if f.RemoteMTA == "" {
				f.RemoteMTA = clean(tf.remoteMTA)
			}
			f.textDiag = clean(tf.diag)
		}
		setTime(&f, msg.arrival, r.lastAttempt, date)
		fillCodes(&f)
		out = append(out, f)
	}
	if len(out) > 0 || len(rcpts) > 0 {
		return out
	}
	for _, tf := range texts {
		f := Failure{
			Recipient: clean(tf.recipient), RemoteMTA: clean(tf.remoteMTA),
			Diagnostic: clean(tf.diag), Source: "text",
		}
		if f.Recipient == "" {
			f.Recipient = clean(rejectedAddress(f.Diagnostic))
		}
		setTime(&f, nil, nil, date)
		fillCodes(&f)
		out = append(out, f)
	}
	return out
}

// textFor finds the text part's account of recipient; with a single
// recipient in the report, the single account the text gives.
func textFor(recipient string, texts []textFailure, nrcpts int) (textFailure, bool) {
	for _, tf := range texts {
		if strings.EqualFold(tf.recipient, recipient) {
			return tf, true
		}
	}
	if nrcpts == 1 && len(texts) == 1 {
		return texts[0], true
	}
	return textFailure{}, false
}

func setTime(f *Failure, arrival, lastAttempt, date *time.Time) {
	switch {
	case arrival != nil:
		f.Time, f.TimeSource = arrival, "arrival-date"
	case lastAttempt != nil:
		f.Time, f.TimeSource = lastAttempt, "last-attempt-date"
	case date != nil:
		f.Time, f.TimeSource = date, "date"
	}
}

// fillCodes takes the reply code from the diagnostic and, when the report
// gave no status, the enhanced status code the reply quotes.
func fillCodes(f *Failure) {
	if loc := replyStart.FindStringSubmatchIndex(f.Diagnostic); loc != nil && loc[2] <= 12 {
		f.ReplyCode = f.Diagnostic[loc[2]:loc[3]]
	}
	if f.Status == "" {
		if m := enhancedStatus.FindStringSubmatch(f.Diagnostic); m != nil {
			f.Status = m[1]
		}
	}
}

// clean makes a stranger's text safe to show and store: one line, no
// control characters, bounded length.
func clean(s string) string {
	return textsafe.Clip(textsafe.Line(s), maxField)
}

// rejectedAddr is the address a reply rejects, as Postfix ("<a@b>:
// Recipient address rejected") and Sendmail ("<a@b>... User unknown")
// quote it.
var rejectedAddr = regexp.MustCompile(`<([^\s<>@]+@[^\s<>]+)>(?::|\.\.\.)`)

// rejectedAddress is the recipient a reply names, when the bounce named
// none.
func rejectedAddress(diag string) string {
	if m := rejectedAddr.FindStringSubmatch(diag); m != nil {
		return m[1]
	}
	return ""
}
