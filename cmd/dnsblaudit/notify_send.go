package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/notify"
)

// stdinIsTerminal says whether a person can answer the confirmation;
// tests replace it.
var stdinIsTerminal = func() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

// errNotConfirmed: the operator did not say yes.
var errNotConfirmed = errors.New("notify: nothing sent (not confirmed)")

// review writes the dry run: .eml files, an mbox, or stdout.
func (r *notifyRun) review() error {
	switch {
	case r.stdout:
		return notify.WriteMbox(r.notices, r.c.App.Writer)
	case r.mbox != "":
		return appendMbox(r.mbox, r.notices)
	}
	return r.writeCopies()
}

func appendMbox(path string, notices []notify.Notice) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if err := notify.WriteMbox(notices, f); err != nil {
		f.Close()
		return fmt.Errorf("notify: %s: %w", path, err)
	}
	return f.Close()
}

// writeCopies writes the notices to --out, remembering each file's path
// by the notice's index.
func (r *notifyRun) writeCopies() error {
	if r.outDir == "" {
		return nil
	}
	paths, err := notify.WriteDir(r.notices, r.outDir)
	for i, p := range paths {
		r.paths[i] = p
	}
	return err
}

// deliver asks for confirmation, sends, records, and keeps copies.
func (r *notifyRun) deliver(ctx context.Context) error {
	var out []outgoing
	include := r.c.StringSlice(flagNotifyIncludeReview)
	names := make([]string, len(r.notices))
	for i := range r.notices {
		names[i] = r.notices[i].FileName(i)
	}
	if err := checkIncluded(include, names); err != nil {
		return err
	}
	for i := range r.notices {
		n := &r.notices[i]
		n.Approved = n.NeedsReview && includes(include, n.FileName(i))
		if n.Sendable() {
			out = append(out, outgoing{n.To, n.Subject})
		}
	}
	if len(out) == 0 {
		r.delivery = &notify.Delivery{}
		for i := range r.notices {
			r.delivery.Held = append(r.delivery.Held, &r.notices[i])
		}
		return r.writeCopies()
	}
	if err := r.confirm("notices", out); err != nil {
		return err
	}
	sender, err := r.sender()
	if err != nil {
		return err
	}
	defer sender.Close()
	d, err := notify.Deliver(ctx, r.notices, sender, r.store(), time.Now)
	r.delivery = &d
	if err != nil {
		// Sent but not recorded: say so loudly, it may be sent again.
		r.recordError = err
	}
	return r.writeCopies()
}

// outgoing is a message about to be sent, as the confirmation lists it.
type outgoing struct {
	to      []string
	subject string
}

// confirm lists the recipients of out and asks; without a terminal it
// refuses unless --yes was given. what names the messages in the
// question ("notices", "reviewed notices").
func (r *notifyRun) confirm(what string, out []outgoing) error {
	if r.c.Bool(flagNotifyYes) {
		return nil
	}
	if !stdinIsTerminal() {
		return withCode(exitUnknown, fmt.Sprintf("notify: refusing to send %d notices without confirmation: no terminal to ask on (add --%s for unattended runs)", len(out), flagNotifyYes))
	}
	w := r.c.App.ErrWriter
	for _, o := range out {
		fmt.Fprintf(w, "  to %s: %s\n", textsafe.Line(strings.Join(o.to, ", ")), textsafe.Line(o.subject))
	}
	fmt.Fprintf(w, "Send %d %s via %s? [y/N] ", len(out), what, r.cfg.Transport)
	if !answeredYes(r.c.App.Reader) {
		return withCode(exitWarning, errNotConfirmed.Error())
	}
	return nil
}

func answeredYes(in io.Reader) bool {
	if in == nil {
		in = os.Stdin
	}
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}

func (r *notifyRun) sender() (notify.Sender, error) {
	if r.cfg.Transport == notify.TransportSendmail {
		return notify.SendmailSender{Path: r.cfg.Sendmail}, nil
	}
	return notify.NewSMTPSender(r.cfg.SMTP)
}
