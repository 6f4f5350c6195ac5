package bounce

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// dsnMessage is the per-message part of an RFC 3464 report (§2.2).
type dsnMessage struct {
	reportingMTA string
	arrival      *time.Time
}

// dsnRecipient is one per-recipient block (RFC 3464 §2.3).
type dsnRecipient struct {
	original, final string
	action, status  string
	remoteMTA, diag string
	lastAttempt     *time.Time
}

func (r *dsnRecipient) address() string {
	if r.final != "" {
		return r.final
	}
	return r.original
}

// dsnField is one "Name: value" field, its continuation lines unfolded.
type dsnField struct{ name, value string }

// dsnFields reads the fields of a delivery-status body in order. A blank
// line is returned as an empty field: it separates the per-message block
// from the recipients and one recipient from the next. Lines that are not
// fields (some MTAs add comments) are skipped.
func dsnFields(body string) []dsnField {
	var out []dsnField
	for _, line := range strings.Split(body, "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			out = append(out, dsnField{})
		case line[0] == ' ' || line[0] == '\t':
			if n := len(out); n > 0 && out[n-1].name != "" && len(out[n-1].value) < maxField {
				out[n-1].value += " " + strings.TrimSpace(line)
			}
		default:
			name, value, ok := strings.Cut(line, ":")
			if ok && !strings.ContainsAny(name, " \t") {
				out = append(out, dsnField{strings.ToLower(name), strings.TrimSpace(value)})
			}
		}
	}
	return out
}

// parseDSN reads a delivery-status body leniently: fields may come in one
// block without the blank lines RFC 3464 asks for, so a new recipient
// also starts when a recipient field repeats. (Final-Recipient may come
// before or after Original-Recipient: Postfix writes it first.)
func parseDSN(body string) (dsnMessage, []dsnRecipient) {
	var msg dsnMessage
	var rcpts []dsnRecipient
	cur := &dsnRecipient{}
	flush := func() {
		if (cur.address() != "" || cur.diag != "" || cur.status != "") && len(rcpts) < maxRecipients {
			rcpts = append(rcpts, *cur)
		}
		cur = &dsnRecipient{}
	}
	for _, f := range dsnFields(body) {
		switch f.name {
		case "":
			flush()
		case "reporting-mta":
			msg.reportingMTA = typed(f.value)
		case "arrival-date":
			msg.arrival = parseDate(f.value)
		case "original-recipient":
			if cur.original != "" {
				flush()
			}
			cur.original = address(typed(f.value))
		case "final-recipient":
			if cur.final != "" {
				flush()
			}
			cur.final = address(typed(f.value))
		case "action":
			cur.action = strings.ToLower(firstWord(f.value))
		case "status":
			cur.status = firstWord(f.value)
		case "remote-mta":
			cur.remoteMTA = typed(f.value)
		case "diagnostic-code":
			cur.diag = typed(f.value)
		case "last-attempt-date":
			cur.lastAttempt = parseDate(f.value)
		}
	}
	flush()
	return msg, rcpts
}

// typed strips the type of a typed field ("rfc822; a@b", "dns; host",
// "smtp; 550 ...", RFC 3464 §2.1.2).
func typed(v string) string {
	if t, rest, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(t, " <@") {
		return strings.TrimSpace(rest)
	}
	return strings.TrimSpace(v)
}

func address(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "<")
	v = strings.TrimSuffix(v, ">")
	return strings.TrimSpace(v)
}

func firstWord(v string) string {
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return ""
}

// parseDate reads an RFC 5322 date as DSNs and headers carry it; nil when
// it is not one (mailers write odd dates, and a wrong time is worse than
// none).
func parseDate(v string) *time.Time {
	t, err := mail.ParseDate(strings.TrimSpace(v))
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}

// inlineDSN finds delivery-status fields written into a text part (some
// MTAs append them to a plain-text bounce instead of a MIME part).
var inlineDSN = regexp.MustCompile(`(?im)^(reporting-mta|final-recipient|original-recipient):`)

func inlineDSNBody(text string) string {
	loc := inlineDSN.FindStringIndex(text)
	if loc == nil {
		return ""
	}
	return text[loc[0]:]
}
