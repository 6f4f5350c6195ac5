package evidence

import "strings"

// parseInto parses one line in mode (a concrete format, or FormatSyslog to
// pick the parser per line by program tag) and appends its events to dst.
// ev carries File, Line and Raw; parsers fill the rest. What it gives
// depends on the line alone: year inference and zones are applied later,
// in file order, and memo, when not nil, only saves reading the header of
// the line before again (see headerMemo; the caller keeps it for no
// longer than one chunk).
func parseInto(mode Format, line string, ev *Event, dst []Event, memo *headerMemo) ([]Event, lineStatus) {
	switch mode {
	case FormatSpamdb:
		return parseSpamdb(line, ev, dst)
	case FormatExim:
		if len(line) > 0 && line[0] >= '0' && line[0] <= '9' && len(line) > 10 && line[10] == ' ' {
			return parseEximLine(line, ev, dst)
		}
	}
	var h header
	var ok bool
	if memo != nil {
		ok = memo.parse(line, &h) // in place: the header is not copied
	} else {
		ok = parseSyslogFast(line, &h)
	}
	if !ok {
		h, ok = parseSyslogSlow(line)
	}
	if !ok {
		if mode == FormatSyslog && looksLikeSpamdb(line) {
			return parseSpamdb(line, ev, dst)
		}
		return dst, lineMalformed
	}
	ev.stamp, ev.Host = h.stamp, h.host
	if mode == FormatSyslog || mode == FormatAuto {
		mode = formatOfTag(h.tag)
	}
	// Direct calls, not a table of funcs: an indirect call would make the
	// event and header escape to the heap, one allocation per line.
	switch mode {
	case FormatPostfix:
		return parsePostfix(&h, ev, dst)
	case FormatSpamd:
		return parseSpamd(&h, ev, dst)
	case FormatExim:
		return parseExim(&h, ev, dst)
	case FormatSendmail:
		return parseSendmail(&h, ev, dst)
	case FormatOpenSMTPD:
		return parseOpenSMTPD(&h, ev, dst)
	}
	return dst, lineUnknown
}

// formatOfTag maps a syslog program tag to the MTA that writes it.
func formatOfTag(tag string) Format {
	switch {
	case strings.HasPrefix(tag, "postfix"):
		return FormatPostfix
	case tag == "spamd":
		return FormatSpamd
	case tag == "smtpd":
		return FormatOpenSMTPD // Postfix's smtpd always logs as "postfix…/smtpd"
	case tag == "exim" || tag == "exim4":
		return FormatExim
	case tag == "sendmail" || strings.HasPrefix(tag, "sm-"):
		return FormatSendmail
	}
	return FormatAuto
}

func looksLikeSpamdb(line string) bool {
	return strings.HasPrefix(line, "GREY|") || strings.HasPrefix(line, "WHITE|") ||
		strings.HasPrefix(line, "TRAPPED|") || strings.HasPrefix(line, "SPAMTRAP|")
}

// detectFormat sniffs the first lines of a file. It returns the parse mode
// (spamdb, exim mainlog, or syslog dispatching per tag) and a label for the
// report: the single MTA found, or "syslog" for a mixed file.
func detectFormat(sample []byte, lines int) (mode, label Format) {
	var spamdb, exim, syslog, other int
	tags := map[Format]int{}
	s := string(sample)
	for n := 0; n < lines && s != ""; {
		line, rest, _ := strings.Cut(s, "\n")
		s = rest
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		n++
		switch {
		case looksLikeSpamdb(line):
			spamdb++
		case len(line) > 19 && line[10] == ' ' && line[4] == '-':
			if _, _, ok := parseEximStamp(line); ok {
				exim++
			} else {
				other++
			}
		default:
			h, ok := parseSyslog(line)
			if !ok {
				other++
				continue
			}
			syslog++
			if f := formatOfTag(h.tag); f != FormatAuto {
				tags[f]++
			}
		}
	}
	switch {
	case spamdb > 0 && spamdb >= exim && spamdb >= syslog:
		return FormatSpamdb, FormatSpamdb
	case exim > 0 && exim >= syslog:
		return FormatExim, FormatExim
	}
	if len(tags) == 1 {
		for f := range tags {
			return FormatSyslog, f
		}
	}
	return FormatSyslog, FormatSyslog
}
