package outbound

import (
	"net/netip"
	"strings"
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

// parseLine reads the part of a line after its time stamp. ok is false for
// a line that looks like a Postfix or Exim line but breaks its shape.
func parseLine(rest string) (r rec, ok bool) {
	if host, tag, msg, isSyslog := splitSyslog(rest); isSyslog {
		prog := tag
		if i := strings.LastIndexByte(tag, '/'); i >= 0 {
			prog = tag[i+1:]
		}
		switch {
		case strings.HasPrefix(tag, "postfix"):
			r, ok = parsePostfix(prog, msg)
			r.host = host
			return r, ok
		case strings.HasPrefix(tag, "exim"):
			r, ok = parseExim(stripEximStamp(msg))
			r.host = host
			return r, ok
		}
		return rec{}, true
	}
	return parseExim(rest)
}

// splitSyslog splits "host tag[pid]: msg" (RFC 3164 after the stamp).
func splitSyslog(s string) (host, tag, msg string, ok bool) {
	sp := strings.IndexByte(s, ' ')
	if sp <= 0 {
		return "", "", "", false
	}
	host, s = s[:sp], s[sp+1:]
	colon := strings.Index(s, ": ")
	if colon <= 0 {
		return "", "", "", false
	}
	tag = s[:colon]
	if b := strings.IndexByte(tag, '['); b >= 0 {
		if !strings.HasSuffix(tag, "]") {
			return "", "", "", false
		}
		tag = tag[:b]
	}
	for _, c := range tag {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '-' || c == '_' || c == '.') {
			return "", "", "", false
		}
	}
	return host, tag, s[colon+2:], tag != ""
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
