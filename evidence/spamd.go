package evidence

import (
	"strconv"
	"strings"
)

// OpenBSD spamd(8) lines (libexec/spamd/spamd.c and grey.c). The main
// process logs per connection under its own pid; the greylister logs
// "new entry" under another pid, so those join on the client IP.

func parseSpamd(h *header, ev *Event, dst []Event) ([]Event, lineStatus) {
	ev.Format = FormatSpamd
	ev.Session = h.pid
	msg := h.msg
	switch {
	case strings.HasPrefix(msg, "(GREY) "):
		ev.Reply = spamdGrey
		return parseSpamdTuple(msg[len("(GREY) "):], ev, dst)
	case strings.HasPrefix(msg, "(BLACK) "):
		ev.Reply = spamdBlack
		return parseSpamdTuple(msg[len("(BLACK) "):], ev, dst)
	case strings.HasPrefix(msg, "new entry "):
		return parseSpamdEntry(msg[len("new entry "):], ev, dst)
	case strings.HasPrefix(msg, "new greytrap entry "):
		return parseSpamdEntry(msg[len("new greytrap entry "):], ev, dst)
	case strings.HasPrefix(msg, "Trapping "):
		ip, _, _ := strings.Cut(msg[len("Trapping "):], " ")
		if !looksLikeIP(ip) {
			return dst, lineMalformed
		}
		ev.Kind, ev.IP, ev.Sub = KindTrapped, ip, ip
		return emit(dst, ev), lineEvent
	}
	ip, rest, ok := strings.Cut(msg, ": ")
	if !ok || !looksLikeIP(ip) {
		return dst, lineIgnored // startup, "whitelisting", config reloads…
	}
	ev.IP, ev.Sub = ip, ip
	switch {
	case strings.HasPrefix(rest, "connected ("):
		ev.Kind = KindConnect
	case strings.HasPrefix(rest, "disconnected after "):
		ev.Kind = KindDisconnect
	default:
		return dst, lineIgnored // "Subject:", "From:", "To:" of blacklisted mail
	}
	if _, lists, ok := strings.Cut(rest, "lists: "); ok {
		ev.Reply = lists
	}
	return emit(dst, ev), lineEvent
}

// Reply of a spamd tuple line: greylisted, or a blacklisted (trapped) host.
const (
	spamdGrey  = "GREY"
	spamdBlack = "BLACK"
)

// setTuple sets a greylist tuple's sender and recipient, which spamd
// writes in angle brackets; "<>" is the null sender.
func setTuple(ev *Event, from, to string) {
	ev.Sender, ev.HasSender, ev.Recipient = stripAngles(from), true, stripAngles(to)
}

// parseSpamdTuple reads "IP: <from> -> <to>", logged when the RCPT arrives
// (spamd.c nextstate, case 5, with -v). spamd answers 250 to every RCPT.
func parseSpamdTuple(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	ip, rest, ok := strings.Cut(s, ": ")
	if !ok || !looksLikeIP(ip) {
		return dst, lineMalformed
	}
	from, to, ok := strings.Cut(rest, " -> ")
	if !ok {
		return dst, lineMalformed
	}
	ev.Kind, ev.IP, ev.Sub = KindRcpt, ip, ip
	setTuple(ev, from, to)
	return emit(dst, ev), lineEvent
}

// parseSpamdEntry reads "IP from <f> to <t>, helo H" (grey.c greyupdate).
func parseSpamdEntry(s string, ev *Event, dst []Event) ([]Event, lineStatus) {
	ip, rest, ok := strings.Cut(s, " from ")
	if !ok || !looksLikeIP(ip) {
		return dst, lineMalformed
	}
	from, rest, ok := strings.Cut(rest, " to ")
	if !ok {
		return dst, lineMalformed
	}
	to, helo, _ := strings.Cut(rest, ", helo ")
	ev.Kind, ev.IP, ev.Sub, ev.Helo, ev.Reply = KindGrey, ip, ip, helo, spamdGrey
	setTuple(ev, from, to)
	ev.Session = "" // the greylister's pid is not the connection's
	return emit(dst, ev), lineEvent
}

// parseSpamdb reads one line of spamdb(8) output:
//
//	GREY|ip|helo|from|to|first|pass|expire|bcount|pcount   (old: no helo, 9 fields)
//	WHITE|ip|||first|pass|expire|bcount|pcount
//	TRAPPED|ip|expire
//	SPAMTRAP|address
//
// Times are seconds since the epoch; GREY "first" is when the tuple was seen.
func parseSpamdb(line string, ev *Event, dst []Event) ([]Event, lineStatus) {
	ev.Format = FormatSpamdb
	var f [10]string
	n := splitPipes(line, f[:])
	if n < 0 {
		return dst, lineMalformed
	}
	switch f[0] {
	case "GREY":
		return spamdbGrey(f[:n], ev, dst)
	case "WHITE":
		if n != 9 || !looksLikeIP(f[1]) {
			return dst, lineMalformed
		}
		ev.Kind, ev.IP = KindWhite, f[1]
		return spamdbStamped(f[4], ev, dst)
	case "TRAPPED":
		if n != 3 || !looksLikeIP(f[1]) {
			return dst, lineMalformed
		}
		ev.Kind, ev.IP = KindTrapped, f[1]
		return emit(dst, ev), lineEvent
	case "SPAMTRAP":
		if n != 2 || f[1] == "" {
			return dst, lineMalformed
		}
		ev.Kind, ev.Recipient = KindSpamtrap, stripAngles(f[1])
		return emit(dst, ev), lineEvent
	}
	return dst, lineUnknown
}

func spamdbGrey(f []string, ev *Event, dst []Event) ([]Event, lineStatus) {
	var helo, from, to, first string
	switch len(f) {
	case 10:
		helo, from, to, first = f[2], f[3], f[4], f[5]
	case 9: // before spamd recorded the HELO (OpenBSD 4.x)
		from, to, first = f[2], f[3], f[4]
	default:
		return dst, lineMalformed
	}
	if !looksLikeIP(f[1]) {
		return dst, lineMalformed
	}
	ev.Kind, ev.IP, ev.Sub, ev.Helo, ev.Reply = KindGrey, f[1], f[1], helo, spamdGrey
	setTuple(ev, from, to)
	return spamdbStamped(first, ev, dst)
}

func spamdbStamped(epoch string, ev *Event, dst []Event) ([]Event, lineStatus) {
	sec, err := strconv.ParseInt(epoch, 10, 64)
	if err != nil || sec < 0 || sec > 1<<40 {
		return dst, lineMalformed
	}
	ev.stamp = rawStamp{style: stampEpoch, epoch: sec}
	return emit(dst, ev), lineEvent
}

// splitPipes splits on '|' into f and returns the count, or -1 when there
// are more fields than f holds.
func splitPipes(s string, f []string) int {
	n := 0
	for {
		if n == len(f) {
			return -1
		}
		i := strings.IndexByte(s, '|')
		if i < 0 {
			f[n] = s
			return n + 1
		}
		f[n], s = s[:i], s[i+1:]
		n++
	}
}
