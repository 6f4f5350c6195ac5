package evidence

import "strings"

// parseMode is a Format as parseInto dispatches on it: a small integer,
// where comparing Format strings took a dozen instructions a line.
type parseMode uint8

const (
	modeSyslog parseMode = iota // FormatSyslog and FormatAuto: by tag
	modeSpamd
	modeSpamdb
	modePostfix
	modeExim
	modeSendmail
	modeOpenSMTPD
	modeUnknown // a tag of no MTA this package reads
)

var modeFormats = [...]Format{modeSyslog: FormatAuto, modeSpamd: FormatSpamd, modeSpamdb: FormatSpamdb,
	modePostfix: FormatPostfix, modeExim: FormatExim, modeSendmail: FormatSendmail,
	modeOpenSMTPD: FormatOpenSMTPD, modeUnknown: FormatAuto}

// modeOf returns the parse mode of a format.
func modeOf(f Format) parseMode {
	for m, mf := range modeFormats {
		if mf == f && f != FormatAuto {
			return parseMode(m)
		}
	}
	return modeSyslog
}

// parseInto parses one line in mode (a concrete format, or modeSyslog to
// pick the parser per line by program tag) and appends its events to dst.
// ev carries File, Line and Raw; parsers fill the rest. What it gives
// depends on the line alone: year inference and zones are applied later,
// in file order, and memo, when not nil, only saves reading the header of
// the line before again (see headerMemo; the caller keeps it for no
// longer than one chunk).
func parseInto(mode parseMode, line string, ev *Event, dst []Event, memo *headerMemo) ([]Event, lineStatus) {
	switch mode {
	case modeSpamdb:
		return parseSpamdb(line, ev, dst)
	case modeExim:
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
		if mode == modeSyslog && looksLikeSpamdb(line) {
			return parseSpamdb(line, ev, dst)
		}
		return dst, lineMalformed
	}
	ev.stamp, ev.Host = h.stamp, h.host
	if mode == modeSyslog {
		mode = tagMode(h.tag)
	}
	// Direct calls, not a table of funcs: an indirect call would make the
	// event and header escape to the heap, one allocation per line.
	switch mode {
	case modePostfix:
		return parsePostfix(&h, ev, dst)
	case modeSpamd:
		return parseSpamd(&h, ev, dst)
	case modeExim:
		return parseExim(&h, ev, dst)
	case modeSendmail:
		return parseSendmail(&h, ev, dst)
	case modeOpenSMTPD:
		return parseOpenSMTPD(&h, ev, dst)
	}
	return dst, lineUnknown
}

// formatOfTag maps a syslog program tag to the MTA that writes it.
func formatOfTag(tag string) Format { return modeFormats[tagMode(tag)] }

// tagMode maps a syslog program tag to the parser of the MTA that writes
// it, modeUnknown for any other program.
func tagMode(tag string) parseMode {
	switch {
	case strings.HasPrefix(tag, "postfix"):
		return modePostfix
	case tag == "spamd":
		return modeSpamd
	case tag == "smtpd":
		return modeOpenSMTPD // Postfix's smtpd always logs as "postfix…/smtpd"
	case tag == "exim" || tag == "exim4":
		return modeExim
	case tag == "sendmail" || strings.HasPrefix(tag, "sm-"):
		return modeSendmail
	}
	return modeUnknown
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
