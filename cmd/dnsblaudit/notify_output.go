package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/notify"
)

// notifyNoticeJSON is one notice in `notify --format json`
// (docs/notify.md, "Output").
type notifyNoticeJSON struct {
	File           string   `json:"file,omitempty"`
	Template       string   `json:"template"`
	To             []string `json:"to"`
	OriginalTo     string   `json:"original_to,omitempty"`
	Subject        string   `json:"subject"`
	MessageID      string   `json:"message_id"`
	Probers        []string `json:"probers"`
	NeedsRecipient bool     `json:"needs_recipient,omitempty"`
	NeedsReview    bool     `json:"needs_review,omitempty"`
	Status         string   `json:"status"` // rendered, sent, failed, held
	Error          string   `json:"error,omitempty"`
}

type notifySummaryJSON struct {
	Mode         string             `json:"mode"` // dry-run, send
	Notices      []notifyNoticeJSON `json:"notices"`
	Skipped      []notify.Skip      `json:"skipped"`
	LookupErrors map[string]string  `json:"lookup_errors,omitempty"`
}

// writeNotifySummary prints the summary on w, or on stderr when stdout
// holds the mbox (--stdout), which a summary would corrupt.
func writeNotifySummary(w, stderr io.Writer, r *notifyRun, format string) error {
	s := r.summary()
	if r.stdout {
		w = stderr
	}
	if format == "json" {
		return writeIndentedJSON(w, s)
	}
	return writeNotifyText(w, s, r)
}

func (r *notifyRun) summary() notifySummaryJSON {
	s := notifySummaryJSON{Mode: "dry-run", Notices: []notifyNoticeJSON{}, Skipped: r.skipped}
	if r.send {
		s.Mode = "send"
	}
	if s.Skipped == nil {
		s.Skipped = []notify.Skip{}
	}
	status := r.statuses()
	for i, n := range r.notices {
		j := notifyNoticeJSON{File: r.paths[i], Template: n.Template, To: n.To, OriginalTo: n.OriginalTo,
			Subject: n.Subject, MessageID: n.MessageID, Probers: n.Probers,
			NeedsRecipient: n.NeedsRecipient, NeedsReview: n.NeedsReview, Status: "rendered"}
		if j.To == nil {
			j.To = []string{}
		}
		if st, ok := status[n.MessageID]; ok {
			j.Status, j.Error = st[0], st[1]
		}
		s.Notices = append(s.Notices, j)
	}
	if len(r.lookupErrs) > 0 {
		s.LookupErrors = map[string]string{}
		for ip, err := range r.lookupErrs {
			s.LookupErrors[ip] = err.Error()
		}
	}
	return s
}

// statuses maps Message-IDs to [status, error] after a delivery.
func (r *notifyRun) statuses() map[string][2]string {
	out := map[string][2]string{}
	if r.delivery == nil {
		return out
	}
	for _, n := range r.delivery.Sent {
		out[n.MessageID] = [2]string{"sent", ""}
	}
	for _, n := range r.delivery.Held {
		out[n.MessageID] = [2]string{"held", "needs a recipient"}
	}
	for _, f := range r.delivery.Failed {
		out[f.Notice.MessageID] = [2]string{"failed", f.Err.Error()}
	}
	return out
}

// writeNotifyText prints what was written or sent; every value that
// came from strangers goes through textsafe.
func writeNotifyText(w io.Writer, s notifySummaryJSON, r *notifyRun) error {
	b := &strings.Builder{}
	fmt.Fprintln(b, notifyHeadline(s, r))
	for _, n := range s.Notices {
		name := n.File
		if name == "" {
			name = n.MessageID
		}
		fmt.Fprintf(b, "  %s  [%s]\n", textsafe.Line(name), n.Status)
		fmt.Fprintf(b, "      to:      %s\n", textsafe.Line(notifyRecipient(n)))
		fmt.Fprintf(b, "      about:   %s\n", textsafe.Line(strings.Join(n.Probers, ", ")))
		fmt.Fprintf(b, "      subject: %s\n", textsafe.Line(n.Subject))
		if n.Error != "" {
			fmt.Fprintf(b, "      error:   %s\n", textsafe.Line(n.Error))
		}
	}
	writeSkipped(b, s.Skipped)
	writeLookupErrors(b, s.LookupErrors)
	if n := r.olderFiles(); n > 0 {
		fmt.Fprintf(b, "Note: %s also holds %s from earlier runs.\n", r.outDir, plural(n, "older .eml file"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func notifyHeadline(s notifySummaryJSON, r *notifyRun) string {
	switch {
	case len(s.Notices) == 0:
		return "No notices: nothing new to tell anyone."
	case r.send:
		return fmt.Sprintf("Sent %d of %d notices via %s.", len(r.delivery.Sent), len(s.Notices), r.cfg.Transport)
	case r.mbox != "":
		return fmt.Sprintf("Dry run: %d notices appended to %s (nothing sent; add --send to send).", len(s.Notices), r.mbox)
	case r.stdout:
		return fmt.Sprintf("Dry run: %d notices written to stdout (nothing sent; add --send to send).", len(s.Notices))
	}
	return fmt.Sprintf("Dry run: %d notices written to %s (nothing sent; add --send to send).", len(s.Notices), r.outDir)
}

func notifyRecipient(n notifyNoticeJSON) string {
	switch {
	case n.NeedsRecipient && len(n.To) > 0:
		return strings.Join(n.To, ", ") + " (review copy; no abuse contact found)"
	case n.NeedsRecipient:
		return "(none: no abuse contact found; add a To address, or use --contacts)"
	case n.OriginalTo != "":
		return strings.Join(n.To, ", ") + " (review copy; for " + n.OriginalTo + ")"
	case n.NeedsReview:
		return strings.Join(n.To, ", ") + " (weak evidence: confirm this contact)"
	}
	return strings.Join(n.To, ", ")
}

func writeSkipped(b *strings.Builder, skipped []notify.Skip) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintln(b, "Not written to:")
	for _, s := range skipped {
		why := s.Reason
		if !s.Until.IsZero() {
			why += " until " + s.Until.Format(time.RFC3339)
		}
		fmt.Fprintf(b, "  %s (%s): %s\n", textsafe.Line(s.Desk), textsafe.Line(strings.Join(s.Probers, ", ")), why)
	}
}

func writeLookupErrors(b *strings.Builder, errs map[string]string) {
	if len(errs) == 0 {
		return
	}
	ips := make([]string, 0, len(errs))
	for ip := range errs {
		ips = append(ips, ip)
	}
	sort.Strings(ips)
	fmt.Fprintln(b, "Contact lookups that failed:")
	for _, ip := range ips {
		fmt.Fprintf(b, "  %s: %s\n", textsafe.Line(ip), textsafe.Line(errs[ip]))
	}
}

// olderFiles counts the .eml files in --out that this run did not write,
// so that a reviewer does not mistake an old draft for a new one.
func (r *notifyRun) olderFiles() int {
	if r.outDir == "" {
		return 0
	}
	all, _ := filepath.Glob(filepath.Join(r.outDir, "*.eml"))
	mine := map[string]bool{}
	for _, p := range r.paths {
		mine[filepath.Clean(p)] = true
	}
	n := 0
	for _, p := range all {
		if !mine[filepath.Clean(p)] {
			n++
		}
	}
	return n
}
