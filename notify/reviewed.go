package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// InternalHeaderPrefix names the header fields that are notes to the
// reviewer (needs a recipient, needs review, the desk a --to copy was
// meant for). They are stripped from what is sent: the bytes sent are the
// reviewed file minus those fields, nothing else.
const InternalHeaderPrefix = "X-Dnsblaudit-"

// ErrReviewed: a reviewed file cannot be sent as it is.
var ErrReviewed = errors.New("reviewed notice cannot be sent")

// Reviewed is one reviewed .eml file, parsed to be sent byte for byte.
type Reviewed struct {
	File      string
	Data      []byte   // the file minus InternalHeaderPrefix fields: exactly what is sent
	To        []string // envelope recipients: the To and Cc addresses of the headers
	MessageID string   // without angle brackets
	Subject   string
	// NeedsReview: the file is a draft or its contact is weak evidence
	// (an X-Dnsblaudit-Needs-Review or -Needs-Recipient field, or the
	// REVIEW- / NEEDS-RECIPIENT- file name prefix). It is sent only when
	// the operator names it.
	NeedsReview bool
	Why         string // why it needs review, for the summary
}

// Sendable reports whether SendReviewed sends the file (limits and
// earlier sends aside): it has a recipient and needs no review, or the
// operator named it in include, by path or base name. The command counts
// and confirms by it too, so the prompt lists what will be sent.
func (r *Reviewed) Sendable(include []string) bool {
	return len(r.To) > 0 && (!r.NeedsReview || named(r.File, include))
}

// ReadReviewed reads and checks an .eml file: one Message-ID, at least one
// recipient, no Bcc (it would be sent to every recipient as written), and
// no control character in the headers that matter.
func ReadReviewed(path string) (*Reviewed, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return ParseReviewed(path, data)
}

// ParseReviewed is ReadReviewed on bytes already read; name is the file.
func ParseReviewed(name string, data []byte) (*Reviewed, error) {
	r := &Reviewed{File: name}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrReviewed, name, err)
	}
	h := msg.Header
	if len(h["Bcc"]) > 0 {
		return nil, fmt.Errorf("%w: %s: has a Bcc field, which would reach every recipient as written: remove it", ErrReviewed, name)
	}
	if r.MessageID, err = messageID(h.Get("Message-Id")); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrReviewed, name, err)
	}
	r.Subject = h.Get("Subject")
	for _, field := range []string{"To", "Cc"} {
		if h.Get(field) == "" {
			continue
		}
		as, err := h.AddressList(field)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %s: %w", ErrReviewed, name, field, err)
		}
		for _, a := range as {
			if _, err := ParseAddress(a.Address); err != nil {
				return nil, fmt.Errorf("%w: %s: %s: %w", ErrReviewed, name, field, err)
			}
			r.To = append(r.To, a.Address)
		}
	}
	r.review(h)
	r.Data = StripInternalHeaders(data)
	return r, nil
}

func (r *Reviewed) review(h mail.Header) {
	base := filepath.Base(r.File)
	switch {
	case len(r.To) == 0:
		r.NeedsReview, r.Why = true, "it has no recipient (add a To address)"
	case h.Get(string(headerNeedsRecipient)) != "" || strings.HasPrefix(base, PrefixNeedsRecipient):
		r.NeedsReview, r.Why = true, "it was a draft without a recipient"
	case h.Get(string(headerNeedsReview)) != "" || strings.HasPrefix(base, PrefixNeedsReview):
		r.NeedsReview, r.Why = true, "its contact was found in weak evidence"
	}
}

func messageID(v string) (string, error) {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "<") || !strings.HasSuffix(v, ">") || strings.ContainsAny(v[1:len(v)-1], "<> \t") || len(v) < 5 {
		return "", fmt.Errorf("no usable Message-ID (%q)", v)
	}
	return v[1 : len(v)-1], nil
}

// StripInternalHeaders removes the InternalHeaderPrefix fields, with their
// folded continuation lines (RFC 5322 §2.2.3), from the header section of
// an RFC 5322 message; every other byte is kept as it was.
func StripInternalHeaders(data []byte) []byte {
	end := headerEnd(data)
	var out bytes.Buffer
	out.Grow(len(data))
	dropping := false
	for rest := data[:end]; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		line := rest
		if i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			if !dropping {
				out.Write(line)
			}
			continue
		}
		dropping = len(line) >= len(InternalHeaderPrefix) && strings.EqualFold(string(line[:len(InternalHeaderPrefix)]), InternalHeaderPrefix)
		if !dropping {
			out.Write(line)
		}
	}
	out.Write(data[end:])
	return out.Bytes()
}

// headerEnd is the offset of the empty line that ends the header section
// (or the end of data when there is none): the first one, CRLF or LF,
// so that a file an editor left with mixed line ends is not read past its
// header (a body line "X-Dnsblaudit-…" would then be cut from the text).
func headerEnd(data []byte) int {
	end := len(data)
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n"), []byte("\n\r\n")} {
		if i := bytes.Index(data, sep); i >= 0 && i+len(sep)/2 < end {
			end = i + len(sep)/2
		}
	}
	return end
}

// RawSender submits a message's bytes unchanged.
type RawSender interface {
	SendRaw(ctx context.Context, envelopeFrom string, to []string, data []byte) error
	Close() error
	Name() string
}

// SendReviewed sends each reviewed file that needs no review (or that the
// operator named in include, by path or base name), records it in st
// right after the server took it, and skips those whose Message-ID is
// already recorded for their desk. meta gives each file's dedupe desk and
// incident keys (from case.json); a file without them is keyed by its
// first recipient and its Message-ID. The limits of the rendering path
// hold here too: a desk inside its cool-down and files beyond the cap
// are held, with the reason.
func SendReviewed(ctx context.Context, rs []*Reviewed, meta map[string]CaseNotice, include []string, envFrom string,
	s RawSender, st Store, l Limits, now func() time.Time) (ReviewedDelivery, error) {
	var d ReviewedDelivery
	for _, r := range rs {
		if !r.Sendable(include) {
			d.Held = append(d.Held, r)
			continue
		}
		desk, keys := deskAndKeys(r, meta[r.File])
		if st != nil {
			sent, err := st.SentKeys(ctx, desk, keys)
			if err != nil {
				return d, err
			}
			if sent[keys[0]] || allSent(keys[1:], sent) {
				d.Already = append(d.Already, r)
				continue
			}
			if why, err := cooling(ctx, st, desk, l); err != nil || why != "" {
				if err != nil {
					return d, err
				}
				r.Why = why
				d.Held = append(d.Held, r)
				continue
			}
		}
		if l.MaxPerRun > 0 && len(d.Sent)+len(d.Failed) >= l.MaxPerRun {
			r.Why = fmt.Sprintf("over the cap of %d notices per run (notify.max_per_run, --max)", l.MaxPerRun)
			d.Held = append(d.Held, r)
			continue
		}
		if err := ctx.Err(); err != nil {
			return d, err
		}
		if err := s.SendRaw(ctx, envFrom, r.To, r.Data); err != nil {
			d.Failed = append(d.Failed, ReviewedFailure{r, err})
			continue
		}
		d.Sent = append(d.Sent, r)
		if st == nil {
			continue
		}
		m := meta[r.File]
		rec := SentRecord{MessageID: r.MessageID, SentAt: now(), Desk: desk, To: r.To, Template: m.Kind,
			Subject: r.Subject, Probers: m.About, Keys: keys, Transport: s.Name()}
		if err := st.RecordSent(ctx, rec); err != nil {
			return d, fmt.Errorf("%w: %s to %s was sent: %w", ErrRecord, r.MessageID, strings.Join(r.To, ", "), err)
		}
	}
	return d, nil
}

// ReviewedDelivery is the outcome of SendReviewed.
type ReviewedDelivery struct {
	Sent    []*Reviewed
	Held    []*Reviewed // not Sendable, or a desk cooling down or over the cap (Why says)
	Already []*Reviewed // their Message-ID, or all their incidents, were sent to the desk before
	Failed  []ReviewedFailure
}

// ReviewedFailure is a file that could not be sent.
type ReviewedFailure struct {
	R   *Reviewed
	Err error
}

// deskAndKeys: the Message-ID key first (it is what makes a rerun send
// nothing), then the case's incident keys.
func deskAndKeys(r *Reviewed, m CaseNotice) (string, []string) {
	desk := strings.ToLower(m.Desk)
	if desk == "" {
		desk = strings.ToLower(r.To[0])
	}
	return desk, append([]string{"message-id:" + r.MessageID}, m.Keys...)
}

// cooling says why a desk must wait: it was sent a notice less than the
// cool-down ago.
func cooling(ctx context.Context, st Store, desk string, l Limits) (string, error) {
	last, err := st.LastSent(ctx, desk)
	if err != nil || last.IsZero() || l.Cooldown <= 0 {
		return "", err
	}
	if until := last.Add(l.Cooldown); l.Now.Before(until) {
		return fmt.Sprintf("%s was sent a notice at %s: cool-down until %s (notify.cooldown)", desk,
			last.UTC().Format(time.RFC3339), until.UTC().Format(time.RFC3339)), nil
	}
	return "", nil
}

// allSent: the desk was told about every incident of the file already
// (by this file or an earlier rendering).
func allSent(keys []string, sent map[string]bool) bool {
	for _, k := range keys {
		if !sent[k] {
			return false
		}
	}
	return len(keys) > 0
}

func named(file string, include []string) bool {
	for _, n := range include {
		if n == file || filepath.Base(n) == filepath.Base(file) && (n == filepath.Base(n) || sameFile(n, file)) {
			return true
		}
	}
	return false
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}
