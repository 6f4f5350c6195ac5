package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/notify"
)

// flagNotifyIncludeReview names a reviewed file that needs review (or was
// a draft) and is to be sent anyway: --yes never covers such a file.
const flagNotifyIncludeReview = "include-review"

// reviewedJSON is one file in the summary of `notify --case DIR --send`.
type reviewedJSON struct {
	File      string   `json:"file"`
	To        []string `json:"to"`
	Subject   string   `json:"subject"`
	MessageID string   `json:"message_id"`
	Status    string   `json:"status"` // sent, held, already-sent, failed
	Why       string   `json:"why,omitempty"`
}

// sendReviewed is `notify --case DIR --send`: the .eml files the case
// lists, as the reviewer left them, go out byte for byte (minus the
// X-Dnsblaudit-* fields); nothing is rendered again.
func (r *notifyRun) sendReviewed(ctx context.Context, format string) error {
	dir := r.c.String(flagNotifyCase)
	if r.opts.To != "" {
		return fmt.Errorf("notify: --%s renders review copies; with --%s DIR --%s the reviewed files go to the recipients in their headers (edit them to redirect)", flagNotifyTo, flagNotifyCase, flagNotifySend)
	}
	meta, err := notify.ReadCaseNotices(dir)
	if err != nil {
		return err
	}
	byFile := map[string]notify.CaseNotice{}
	var rs []*notify.Reviewed
	for _, m := range meta {
		rv, err := notify.ReadReviewed(m.File)
		if err != nil {
			return withCode(exitUnknown, err.Error())
		}
		byFile[m.File] = m
		rs = append(rs, rv)
	}
	var out []outgoing
	include := r.c.StringSlice(flagNotifyIncludeReview)
	names := make([]string, len(rs))
	for i, rv := range rs {
		names[i] = rv.File
	}
	if err := checkIncluded(include, names); err != nil {
		return err
	}
	for _, rv := range rs {
		if rv.Sendable(include) {
			out = append(out, outgoing{rv.To, rv.Subject})
		}
	}
	if err := r.openState(ctx); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	var d notify.ReviewedDelivery
	if len(out) > 0 {
		if err := r.confirm("reviewed notices", out); err != nil {
			return err
		}
		sender, err := r.rawSender()
		if err != nil {
			return err
		}
		defer sender.Close()
		envFrom := r.cfg.EnvelopeFrom
		if envFrom == "" {
			envFrom = r.cfg.From
		}
		env, err := notify.ParseAddress(envFrom)
		if err != nil {
			return fmt.Errorf("notify: envelope sender: %w", err)
		}
		limits := notify.Limits{Cooldown: r.cfg.Cooldown, MaxPerRun: r.cfg.MaxPerRun, Now: time.Now()}
		d, err = notify.SendReviewed(ctx, rs, byFile, include, env.Address, sender, r.store(), limits, time.Now)
		if err != nil {
			r.recordError = err
		}
	} else {
		d.Held = rs
	}
	if err := writeReviewedSummary(r.c.App.Writer, d, format); err != nil {
		return err
	}
	return reviewedExit(r, d)
}

// checkIncluded refuses an --include-review name that matches no notice:
// a typo must not look like an approval that was given.
func checkIncluded(include, files []string) error {
	for _, n := range include {
		found := false
		for _, f := range files {
			found = found || includes([]string{n}, f)
		}
		if !found {
			return withCode(exitUnknown, fmt.Sprintf("notify: --%s %q names no notice of this run", flagNotifyIncludeReview, n))
		}
	}
	return nil
}

func includes(include []string, file string) bool {
	for _, n := range include {
		if n == file || strings.HasSuffix("/"+file, "/"+strings.TrimPrefix(n, "./")) {
			return true
		}
	}
	return false
}

func (r *notifyRun) rawSender() (notify.RawSender, error) {
	if r.cfg.Transport == notify.TransportSendmail {
		return notify.SendmailSender{Path: r.cfg.Sendmail}, nil
	}
	return notify.NewSMTPSender(r.cfg.SMTP)
}

func reviewedRows(d notify.ReviewedDelivery) []reviewedJSON {
	var rows []reviewedJSON
	add := func(rv *notify.Reviewed, status, why string) {
		to := rv.To
		if to == nil {
			to = []string{}
		}
		rows = append(rows, reviewedJSON{File: rv.File, To: to, Subject: rv.Subject, MessageID: rv.MessageID, Status: status, Why: why})
	}
	for _, rv := range d.Sent {
		add(rv, "sent", "")
	}
	for _, f := range d.Failed {
		add(f.R, "failed", f.Err.Error())
	}
	for _, rv := range d.Already {
		add(rv, "already-sent", "its Message-ID or all its incidents were sent to this desk before")
	}
	for _, rv := range d.Held {
		why := rv.Why
		if why == "" {
			why = "not sent"
		}
		add(rv, "held", why+"; name it with --"+flagNotifyIncludeReview+" FILE to send it")
	}
	return rows
}

func writeReviewedSummary(w io.Writer, d notify.ReviewedDelivery, format string) error {
	rows := reviewedRows(d)
	if format == "json" {
		if rows == nil {
			rows = []reviewedJSON{}
		}
		return writeIndentedJSON(w, struct {
			Mode    string         `json:"mode"`
			Notices []reviewedJSON `json:"notices"`
		}{"send-reviewed", rows})
	}
	for _, row := range rows {
		fmt.Fprintf(w, "%-12s %s  to %s  <%s>", row.Status, textsafe.Line(row.File), textsafe.Line(strings.Join(row.To, ", ")), textsafe.Line(row.MessageID))
		if row.Why != "" {
			fmt.Fprintf(w, "  (%s)", textsafe.Line(row.Why))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d sent, %d held, %d sent before, %d failed\n", len(d.Sent), len(d.Held), len(d.Already), len(d.Failed))
	return nil
}

func reviewedExit(r *notifyRun, d notify.ReviewedDelivery) error {
	switch {
	case r.recordError != nil:
		return r.recordError
	case len(d.Failed) > 0:
		return withCode(exitUnknown, fmt.Sprintf("notify: %d of %d notices failed to send", len(d.Failed), len(d.Failed)+len(d.Sent)))
	case len(d.Held) > 0:
		return withCode(exitWarning, "")
	}
	return nil
}
