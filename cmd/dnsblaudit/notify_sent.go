package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/config"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// notifySentJSON is one line of `notify --sent --format json`.
type notifySentJSON struct {
	MessageID string    `json:"message_id"`
	SentAt    time.Time `json:"sent_at"`
	Desk      string    `json:"desk"`
	To        []string  `json:"to"`
	Template  string    `json:"template"`
	Subject   string    `json:"subject"`
	Probers   []string  `json:"probers"`
	Transport string    `json:"transport"`
}

// listSentNotices prints the sent-notices record, oldest first. A missing
// state file means nothing was sent; it is not created.
func listSentNotices(ctx context.Context, c *cli.Context, cfg *config.Config, format string) error {
	path, err := statePath(c, cfg)
	if err != nil {
		return err
	}
	var recs []notify.SentRecord
	db, err := state.Open(ctx, path, state.Options{MustExist: true})
	switch {
	case errors.Is(err, state.ErrNotExist):
	case err != nil:
		return fmt.Errorf("notify: %w", err)
	default:
		defer db.Close()
		if recs, err = db.SentNotices(ctx, ""); err != nil {
			return err
		}
	}
	if format == "json" {
		return writeSentJSON(c.App.Writer, recs)
	}
	return writeSentText(c.App.Writer, recs)
}

func writeSentJSON(w io.Writer, recs []notify.SentRecord) error {
	out := make([]notifySentJSON, 0, len(recs))
	for _, r := range recs {
		out = append(out, notifySentJSON{MessageID: r.MessageID, SentAt: r.SentAt.UTC(), Desk: r.Desk, To: r.To,
			Template: r.Template, Subject: r.Subject, Probers: r.Probers, Transport: r.Transport})
	}
	return writeIndentedJSON(w, map[string]any{"sent": out})
}

func writeSentText(w io.Writer, recs []notify.SentRecord) error {
	if len(recs) == 0 {
		_, err := fmt.Fprintln(w, "No notices sent yet.")
		return err
	}
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "%s  %s  via %s\n", r.SentAt.UTC().Format(time.RFC3339), textsafe.Line(strings.Join(r.To, ", ")), r.Transport)
		fmt.Fprintf(&b, "    about:      %s\n", textsafe.Line(strings.Join(r.Probers, ", ")))
		fmt.Fprintf(&b, "    subject:    %s\n", textsafe.Line(r.Subject))
		fmt.Fprintf(&b, "    message-id: <%s>\n", textsafe.Line(r.MessageID))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
