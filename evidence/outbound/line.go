package outbound

import (
	"net/netip"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// rec is what one line says about outbound mail; kind recNone for lines
// that say nothing this package needs.
type rec struct {
	kind   recKind
	host   string // syslog host ("" for an Exim mainlog), keys queue ids
	qid    string // Postfix queue id or Exim message id
	sender string // envelope sender ("" = null sender)
	sasl   string // SASL user name (Postfix sasl_username=, Exim A=…:user)
	local  bool   // submitted on the host itself
	bounce bool   // the message is a bounce our MX generated (Exim R=)
	to     string // recipient of a delivery or probe
	relay  string // remote host "name[ip]" of a delivery ("" = local)
	status string // sent, bounced, deferred, deliverable, undeliverable
	newQID string // the bounce's queue id (Postfix bounce)
	client string // IP of the SMTP client that submitted the message
	// forwarded: the recipient was rewritten from a local one (Postfix
	// orig_to=, Exim "=> new <original>"): forwarding, not relaying.
	forwarded bool
}

type recKind int

const (
	recNone     recKind = iota
	recClient           // Postfix smtpd "QID: client=…[, sasl_username=…]"
	recPickup           // Postfix pickup "QID: uid=N from=<…>"
	recFrom             // Postfix qmgr "QID: from=<…>, size=…"
	recDelivery         // Postfix smtp/local/… "QID: to=<…>, relay=…, status=…"; Exim =>, ->, **, ==
	recNotify           // Postfix bounce "QID: sender non-delivery notification: NEWQID"
	recArrival          // Exim "ID <= sender …"
	recCallout          // Exim "sender verify fail for <…>: … SMTP error from remote mail server"
	recRemoved          // Postfix qmgr "QID: removed", Exim "ID Completed": the message left the queue
)

// parseLine reads one whole line: a syslog line in any framing
// evidence.ParseSyslog reads (RFC 3164, RFC 3339 stamps, RFC 5424 with or
// without PRI) by its program tag, else an Exim mainlog line. ok is false
// for a line in neither shape, or one that looks like a Postfix or Exim
// line but breaks its shape: the caller counts it as malformed.
func parseLine(line string, zone *time.Location, ref time.Time) (t time.Time, r rec, ok bool) {
	if l, isSyslog := evidence.ParseSyslog(line, zone, ref); isSyslog {
		r, ok = parseSyslogMsg(l)
		return l.Time, r, ok
	}
	if !eximMainlog(line) {
		return t, rec{}, false
	}
	t, rest, err := evidence.ParseTimestamp(line, zone, ref)
	if err != nil {
		return t, rec{}, false
	}
	r, ok = parseExim(rest)
	return t, r, ok
}

// parseSyslogMsg reads the message of a Postfix or Exim syslog line;
// other programs' lines say nothing about outbound mail.
func parseSyslogMsg(l evidence.SyslogLine) (r rec, ok bool) {
	switch {
	case strings.HasPrefix(l.Tag, "postfix"):
		r, ok = parsePostfix(l.Service, l.Msg)
	case strings.HasPrefix(l.Tag, "exim"):
		r, ok = parseExim(stripEximStamp(l.Msg))
	default:
		return rec{}, true
	}
	r.host = l.Host
	return r, ok
}

// eximMainlog tells an Exim mainlog line by its stamp, "2026-11-27
// 05:42:23" (Exim src/log.c): a date, then a space where RFC 3339 has 'T'.
func eximMainlog(line string) bool {
	return len(line) > 19 && line[0] >= '0' && line[0] <= '9' && line[4] == '-' && line[10] == ' '
}

// field returns the value of "name=" in s up to the next ", " or space
// (or the end), and whether it was there. A value in <…> keeps the
// brackets' content only.
func field(s, name string) (string, bool) {
	i := indexField(s, name)
	if i < 0 {
		return "", false
	}
	v := s[i+len(name):]
	if strings.HasPrefix(v, "<") {
		if j := strings.IndexByte(v, '>'); j >= 0 {
			return v[1:j], true
		}
		return "", false
	}
	if j := strings.IndexAny(v, ", "); j >= 0 {
		v = v[:j]
	}
	return v, true
}

// indexField finds name at the start of s or after a space, so that
// "to=" does not match inside "orig_to=".
func indexField(s, name string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], name)
		if i < 0 {
			return -1
		}
		i += off
		if i == 0 || s[i-1] == ' ' {
			return i
		}
		off = i + 1
	}
}

// queueID splits "QID: rest" when QID looks like a Postfix queue id: short
// (hex) or long (base 52, enable_long_queue_ids) form.
func queueID(msg string) (qid, rest string, ok bool) {
	i := strings.Index(msg, ": ")
	if i < 5 || i > 24 {
		return "", msg, false
	}
	for _, c := range msg[:i] {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return "", msg, false
		}
	}
	return msg[:i], msg[i+2:], true
}

// bracketIP is the IP inside the first "[…]" of s ("" when none parses).
func bracketIP(s string) string {
	b := strings.IndexByte(s, '[')
	if b < 0 {
		return ""
	}
	e := strings.IndexByte(s[b:], ']')
	if e < 0 {
		return ""
	}
	ip, err := netip.ParseAddr(s[b+1 : b+e])
	if err != nil {
		return ""
	}
	return ip.Unmap().String()
}

// relayHost turns Postfix's "name[ip]:port" into "name[ip]"; "local",
// "none" and agents without a host give "".
func relayHost(relay string) string {
	b := strings.IndexByte(relay, '[')
	e := strings.LastIndexByte(relay, ']')
	if b < 0 || e < b {
		return ""
	}
	return relay[:e+1]
}
