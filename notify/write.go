package notify

import (
	"bytes"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/atomicfile"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// File-name prefixes that flag a notice for the reviewer.
const (
	PrefixNeedsRecipient = "NEEDS-RECIPIENT-"
	PrefixNeedsReview    = "REVIEW-"
)

// FileName is the notice's .eml name in a review directory: its position,
// whom it is for, and a prefix when it needs a recipient or a review.
func (n *Notice) FileName(i int) string {
	who := n.Desk
	switch {
	case who != "":
	case len(n.Probers) > 2:
		// A notice about many probers (evidence for a blocklist) is named
		// after the first; the list of all of them is inside.
		who = fmt.Sprintf("%s-and-%d-more", n.Probers[0], len(n.Probers)-1)
	default:
		who = strings.Join(n.Probers, "_")
	}
	name := fmt.Sprintf("%02d-%s-%s.eml", i+1, n.Template, safeFileName(who))
	switch {
	case n.NeedsRecipient:
		name = PrefixNeedsRecipient + name
	case n.NeedsReview:
		name = PrefixNeedsReview + name
	}
	return name
}

// safeFileName keeps letters, digits and . @ _ - of s (an address or IPs,
// which came from strangers) and caps its length.
func safeFileName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '@', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	return strings.TrimLeft(b.String(), ".")
}

// WriteDir writes each notice to dir as an .eml file (created 0700 if
// missing; files 0600: they hold other people's addresses) and returns
// the paths. Files are written whole or not at all.
func WriteDir(notices []Notice, dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	paths := make([]string, 0, len(notices))
	for i := range notices {
		data, err := notices[i].Bytes()
		if err != nil {
			return paths, err
		}
		path := filepath.Join(dir, notices[i].FileName(i))
		if err := atomicfile.Write(path, data, 0o600); err != nil {
			return paths, fmt.Errorf("notify: %w", err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// WriteMbox appends the notices to w in mboxrd format: a "From " line
// per message, and ">" added to body lines that begin with ">*From ", so
// the mailbox reads back exactly.
func WriteMbox(notices []Notice, w io.Writer) error {
	for i := range notices {
		data, err := notices[i].Bytes()
		if err != nil {
			return err
		}
		env := notices[i].EnvelopeFrom
		if env == "" {
			env = "MAILER-DAEMON"
		}
		stamp := notices[i].Date.UTC().Format(time.ANSIC)
		if _, err := fmt.Fprintf(w, "From %s %s\n", env, stamp); err != nil {
			return err
		}
		if _, err := w.Write(mboxBody(data)); err != nil {
			return err
		}
	}
	return nil
}

// mboxBody converts CRLF to LF, quotes "From " lines (mboxrd) and ends
// the message with an empty line.
func mboxBody(eml []byte) []byte {
	text := bytes.ReplaceAll(eml, []byte("\r\n"), []byte("\n"))
	lines := bytes.SplitAfter(text, []byte("\n"))
	var b bytes.Buffer
	for _, l := range lines {
		if bytes.HasPrefix(bytes.TrimLeft(l, ">"), []byte("From ")) {
			b.WriteByte('>')
		}
		b.Write(l)
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	return b.Bytes()
}
