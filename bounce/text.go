package bounce

import (
	"regexp"
	"strings"
)

// returnedMarker matches the lines after which plain-text bounces quote
// the original message: Exim ("------ This is a copy of the message,
// including all the headers. ------", deliver.c), qmail ("--- Below this
// line is a copy of the message.", qmail-send.c), Sendmail ("-----
// Original message follows -----" and "----- Unsent message follows
// -----", deliver.c/savemail.c), Courier, Lotus Notes and Exchange forms.
var returnedMarker = regexp.MustCompile(`(?im)^[ \t>|]*(` +
	`-+ ?This is a copy of the message` +
	`|-+ ?Below this line is a copy of the message` +
	`|-+ ?(Original|Unsent|Returned) message` +
	`|-+ ?Original message follows` +
	`|-+ ?Message header follows` +
	`|-+ ?The header of the original message is following` +
	`|-+ ?Original Message -+` +
	`|-+ ?Returned mail follows` +
	`|-+ ?Message text follows` +
	`|-+ ?Undelivered Message Headers` +
	`|-+ ?Copy of the original message` +
	`|Original message headers:` +
	`|------ The message you sent follows` +
	`)`)

// markerLine is the offset of the first returnedMarker line. Only lines
// that start (after blanks, '>' and '|') with '-' or 'O' can be one, so
// the expression runs on those alone: on a whole part it is the slowest
// step of reading a bounce.
func markerLine(s string) int {
	for at := 0; at < len(s); {
		end := strings.IndexByte(s[at:], '\n')
		if end < 0 {
			end = len(s) - at
		}
		line := s[at : at+end]
		if t := strings.TrimLeft(line, " \t>|"); t != "" && (t[0] == '-' || t[0] == 'O' || t[0] == 'o') && returnedMarker.MatchString(line) {
			return at
		}
		at += end + 1
	}
	return -1
}

// returnedHeaders: a bounce that quotes the original message without a
// marker starts it with its trace fields (RFC 5322 §3.6.7).
var returnedHeaders = regexp.MustCompile(`(?m)^(Received: |Return-Path: |DKIM-Signature: )`)

// cutReturnedMessage drops the quoted original message from a text part.
func cutReturnedMessage(s string) string {
	if at := markerLine(s); at >= 0 {
		s = s[:at]
	}
	if loc := returnedHeaders.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	return s
}

var (
	// replyStart finds an SMTP reply (RFC 5321 §4.2: three digits, then a
	// space or hyphen) of class 4 or 5, optionally with an enhanced status
	// code (RFC 3463), where MTAs quote one: at a line start, after
	// "said:", "<<< ", "reason: ", or a colon.
	replyStart = regexp.MustCompile(`(?:^|[\s:(>])([45][0-5]\d)(?:[ -]#?([245]\.\d{1,3}\.\d{1,3})\b|[ -]\S|$)`)
	// enhancedStatus is an RFC 3463 code anywhere in a text.
	enhancedStatus = regexp.MustCompile(`\b([245]\.\d{1,3}\.\d{1,3})\b`)
	// emailAddr is an address as bounces print it.
	emailAddr = regexp.MustCompile(`[A-Za-z0-9!#$%&'*+/=?^_{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+`)
	// rcptTo is the address of a transcript's RCPT command (Sendmail
	// ">>> RCPT To:<a@b>", Exim "after RCPT TO:<a@b>").
	rcptTo = regexp.MustCompile(`(?i)RCPT TO: ?<([^>\s]+@[^>\s]+)>`)
	// addrLine is a line that is only an address: the way Exim, Sendmail
	// and qmail list each failed recipient before its reason.
	addrLine = regexp.MustCompile(`(?i)^\s*(?:(?:Recipient|Failed recipient|Address)s?:\s*|undeliverable to\s+)?<?([^\s<>@]+@[^\s<>]+?)>?:?\s*(\(.*\))?$`)
	// postfixRcpt is Postfix's "<a@b>: host ... said: ..." or "<a@b>
	// (expanded from <c@d>): ..." (bounce(8) templates).
	postfixRcpt = regexp.MustCompile(`^\s*<([^\s<>]+@[^\s<>]+)>(?: \(expanded from <[^>]*>\))?:\s*(.*)$`)
	// remoteHost is the receiving host as Exim ("host mx.example [1.2.3.4]"),
	// Postfix ("host mx.example[1.2.3.4] said") and Sendmail ("while
	// talking to mx.example.:") print it.
	remoteHost = regexp.MustCompile(`(?i)(?:\bhost\s+([A-Za-z0-9][A-Za-z0-9.-]*)\s*\[([0-9A-Fa-f:.]+)\]|while talking to ([A-Za-z0-9][A-Za-z0-9.-]*?)\.?:)`)
)

// maxRecipients bounds the failures read from one text: a bounce lists
// a handful, and a text listing thousands is not one.
const maxRecipients = 1000

// textFailure is a failed recipient found in a human-readable part.
type textFailure struct {
	recipient, remoteMTA, diag string
	reply                      bool // diag starts with an SMTP reply
}

// textFailures reads failed recipients from plain text, paragraph by
// paragraph: a paragraph names a recipient (an address on a line of its
// own, Postfix's "<a@b>:", or a transcript's RCPT TO) and says why (an
// SMTP reply, or the lines indented under the address).
func textFailures(text string) []textFailure {
	var out []textFailure
	var orphans []textFailure
	for _, para := range paragraphs(text) {
		if len(out) >= maxRecipients {
			break
		}
		tf := readParagraph(para)
		switch {
		case tf.recipient != "":
			// One without a reason yet (Gmail puts the address in a
			// paragraph of its own) may get it from the next paragraph.
			out = appendFailure(out, tf)
		case tf.recipient == "" && tf.reply:
			// A reply with no address in its paragraph belongs to the
			// recipient just before it when that one had no reply
			// (Sendmail's transcript follows its list of addresses).
			if n := len(out); n > 0 && !out[n-1].reply {
				out[n-1].diag, out[n-1].reply = tf.diag, true
				if out[n-1].remoteMTA == "" {
					out[n-1].remoteMTA = tf.remoteMTA
				}
				continue
			}
			orphans = append(orphans, tf)
		}
	}
	out = withReason(out)
	if len(out) == 0 {
		return orphans
	}
	return out
}

// withReason drops the recipients for which no reason was found.
func withReason(tfs []textFailure) []textFailure {
	out := tfs[:0]
	for _, tf := range tfs {
		if tf.diag != "" {
			out = append(out, tf)
		}
	}
	return out
}

// appendFailure keeps one failure per recipient, preferring the one that
// quotes the receiver's reply.
func appendFailure(out []textFailure, tf textFailure) []textFailure {
	for i := range out {
		if strings.EqualFold(out[i].recipient, tf.recipient) {
			if !out[i].reply && tf.reply || out[i].diag == "" {
				out[i].diag, out[i].reply = tf.diag, tf.reply
			}
			if out[i].remoteMTA == "" {
				out[i].remoteMTA = tf.remoteMTA
			}
			return out
		}
	}
	return append(out, tf)
}

// paragraphs splits text at blank lines, and before each address on a
// line of its own when the paragraph already has one: Exim lists its
// failed addresses one under the other, each with its reason indented
// below it (deliver.c).
func paragraphs(text string) [][]string {
	var out [][]string
	var cur []string
	hasAddr := false
	for _, line := range strings.Split(text, "\n") {
		isAddr := isAddrLine(line)
		if isAddr && hasAddr && len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
		if isAddr {
			hasAddr = true
		}
		if strings.TrimSpace(line) == "" {
			hasAddr = false
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// isAddrLine: the line is an address on its own (the '@' test first:
// most lines have none, and the expressions cost more).
func isAddrLine(line string) bool {
	return strings.IndexByte(line, '@') >= 0 && addrLine.MatchString(line) && emailAddr.MatchString(line)
}

func readParagraph(lines []string) textFailure {
	var tf textFailure
	joined := strings.Join(lines, "\n")
	if m := remoteHost.FindStringSubmatch(joined); m != nil {
		tf.remoteMTA = remoteOf(m)
	}
	rcptLine, inline := -1, ""
	for i, line := range lines {
		if addr, rest, ok := recipientLine(line); ok {
			tf.recipient, rcptLine, inline = addr, i, rest
			break
		}
	}
	if tf.recipient == "" {
		if m := rcptTo.FindStringSubmatch(joined); m != nil {
			tf.recipient = m[1]
		}
	}
	if loc := replyStart.FindStringSubmatchIndex(joined); loc != nil {
		tf.diag, tf.reply = oneLine(joined[loc[2]:]), true
		return tf
	}
	if rcptLine >= 0 {
		tf.diag = oneLine(inline + "\n" + strings.Join(lines[rcptLine+1:], "\n"))
	}
	return tf
}

var (
	// addrLead is a line that starts with the failed address and goes on
	// with the reason: "a@b ... unknown host" (Exim 3), "a@b [User
	// unknown]" (Mail2000), "a@b Invalid Address, ERROR_CODE :550" (Zoho),
	// "a@b on <date>" followed by the reason (Exchange 2003).
	addrLead = regexp.MustCompile(`^\s*<?([^\s<>@]+@[^\s<>]+?)>?(?:\s*(?:\.\.\.|:)\s*|\s+)(\S.*)$`)
	// labelAddr is "Unknown user: a@b" (IMail): the reason, then the address.
	labelAddr = regexp.MustCompile(`^\s*([A-Za-z][A-Za-z ]{2,40}):\s*<?([^\s<>@]+@[^\s<>]+?)>?\s*$`)
	// notRecipientLabel: header fields quoted in a bounce name the
	// sender or the original addressee, not a failed recipient.
	notRecipientLabel = regexp.MustCompile(`(?i)^(to|from|cc|bcc|sender|reply-to|return-path|delivered-to|x-[a-z-]+)$`)
)

// recipientLine reads a line that names a failed recipient, with the
// reason the line itself gives ("" when it gives none).
func recipientLine(line string) (addr, rest string, ok bool) {
	if m := postfixRcpt.FindStringSubmatch(line); m != nil {
		return m[1], m[2], true
	}
	if strings.IndexByte(line, '@') < 0 {
		return "", "", false
	}
	if m := addrLine.FindStringSubmatch(line); m != nil && isAddress(m[1]) {
		return unquote(m[1]), "", true
	}
	if m := labelAddr.FindStringSubmatch(line); m != nil && isAddress(m[2]) && !notRecipientLabel.MatchString(strings.TrimSpace(m[1])) {
		return unquote(m[2]), m[1], true
	}
	if m := addrLead.FindStringSubmatch(line); m != nil && isAddress(m[1]) && reasonWords.MatchString(m[2]) {
		return unquote(m[1]), m[2], true
	}
	return "", "", false
}

var (
	wholeAddr = regexp.MustCompile(`^` + emailAddr.String() + `$`)
	// reasonWords: the rest of a line that starts with an address reads
	// like a reason, not a greeting ("a@b 様") or markup.
	reasonWords = regexp.MustCompile(`[A-Za-z]{3,}`)
)

// isAddress: s is one address, perhaps quoted ("a@b" as GMX writes it),
// and nothing else (not a JSON or header fragment that contains one).
func isAddress(s string) bool { return wholeAddr.MatchString(unquote(s)) }

func unquote(s string) string { return strings.Trim(s, `"'`) }

func remoteOf(m []string) string {
	if m[1] != "" {
		return m[1] + " [" + m[2] + "]"
	}
	return m[3]
}

// multiReply matches the code prefixes of a multiline reply that a
// bounce wraps into running text ("... of 550-5.7.1 the sending IP").
var multiReply = regexp.MustCompile(`\s[45]\d\d-(?:[245]\.\d{1,3}\.\d{1,3} )?`)

// oneLine joins a diagnostic's lines into one, drops the code prefixes of
// multiline replies after the first, and collapses white space.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 4 {
		s = s[:4] + multiReply.ReplaceAllString(s[4:], " ")
	}
	return strings.Join(strings.Fields(s), " ")
}
