package outbound

import (
	"strings"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// stripEximStamp drops the mainlog's own stamp when Exim logs through
// syslog or journald and the line carries two.
func stripEximStamp(msg string) string {
	if len(msg) > 19 && msg[4] == '-' && msg[7] == '-' && msg[10] == ' ' {
		if _, rest, err := evidence.ParseTimestamp(msg, nil, zeroTime); err == nil {
			return rest
		}
	}
	return msg
}

// parseExim reads one mainlog line after its stamp: an optional "[pid] "
// (log_selector +pid), then a message id and a flag (<= arrival, =>
// delivery, -> further recipient of that delivery, ** failure, ==
// deferral; Exim spec ch. "Log files"), or a verification line
// ("sender verify fail for <…>: HOST [IP] : SMTP error from remote mail
// server after RCPT TO:<…>: 550 …", which only a callout writes).
func parseExim(rest string) (rec, bool) {
	if strings.HasPrefix(rest, "[") {
		if i := strings.Index(rest, "] "); i > 0 && i < 12 {
			rest = rest[i+2:]
		}
	}
	if r, ok := eximCallout(rest); ok {
		return r, true
	}
	id, body, ok := eximID(rest)
	if !ok {
		return rec{}, true
	}
	if body == "Completed" {
		return rec{qid: id, kind: recRemoved}, true
	}
	if len(body) < 3 || body[2] != ' ' {
		return rec{}, true // Frozen, "SMTP error" continuations
	}
	flag, args := body[:2], body[3:]
	r := rec{qid: id}
	switch flag {
	case "<=":
		return eximArrival(r, args)
	case "=>", "->", "**", "==":
		return eximDelivery(r, flag, args)
	}
	return rec{}, true
}

// eximID splits a message id ("1xWpRL-00019O-0U", or the longer form of
// Exim 4.97+) from the rest.
func eximID(s string) (id, rest string, ok bool) {
	sp := strings.IndexByte(s, ' ')
	if sp < 16 || sp > 26 {
		return "", s, false
	}
	id = s[:sp]
	if strings.Count(id, "-") != 2 {
		return "", s, false
	}
	for _, c := range id {
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return "", s, false
		}
	}
	return id, s[sp+1:], true
}

// eximArrival: "<= sender H=… P=esmtpsa A=plain:user S=…", a local
// submission "<= user U=user P=local", a bounce "<= <> R=parent-id U=…".
func eximArrival(r rec, args string) (rec, bool) {
	sp := strings.IndexByte(args, ' ')
	if sp < 0 {
		sp = len(args)
	}
	r.kind, r.sender = recArrival, args[:sp]
	if r.sender == "<>" {
		r.sender = ""
		_, r.bounce = field(args, "R=")
	}
	if a, ok := field(args, "A="); ok {
		if i := strings.IndexByte(a, ':'); i >= 0 {
			r.sasl = a[i+1:]
		}
	}
	if p, _ := field(args, "P="); p == "local" || strings.HasPrefix(p, "local-") {
		r.local = true
	}
	if i := indexField(args, "H="); i >= 0 {
		r.client = bracketIP(bracketAfter(args, i))
	}
	return r, true
}

// eximDelivery: "=> addr <orig> R=router T=transport H=host [ip] … C=…",
// "** addr R=… T=… H=host [ip]: SMTP error from remote mail server …",
// "== addr R=… T=… defer (…)".
func eximDelivery(r rec, flag, args string) (rec, bool) {
	sp := strings.IndexByte(args, ' ')
	if sp < 0 {
		sp = len(args)
	}
	r.kind, r.to = recDelivery, strings.TrimSuffix(args[:sp], ":")
	if r.to == "" {
		return rec{}, false
	}
	r.forwarded = strings.HasPrefix(args[sp:], " <")
	if h, ok := field(args, "H="); ok {
		r.relay = h
		if ip := bracketAfter(args, indexField(args, "H=")); ip != "" {
			r.relay = h + ip
		}
	} else if t, _ := field(args, "T="); strings.Contains(t, "smtp") && !strings.Contains(t, "lmtp") {
		r.relay = "(remote)"
	}
	switch flag {
	case "=>", "->":
		r.status = "sent"
	case "**":
		r.status = "bounced"
	case "==":
		r.status = "deferred"
	}
	return r, true
}

// bracketAfter is the "[ip]" that follows the host name at i, if any.
func bracketAfter(s string, i int) string {
	if i < 0 {
		return ""
	}
	s = s[i:]
	b := strings.IndexByte(s, '[')
	e := strings.IndexByte(s, ']')
	if b < 0 || e < b || strings.Count(s[:b], " ") > 1 {
		return ""
	}
	return s[b : e+1]
}

// eximCallout recognises the line a failed or deferred callout writes
// (src/verify.c): the verified address, then the host called.
func eximCallout(s string) (rec, bool) {
	for _, marker := range []string{"sender verify fail for <", "recipient verify fail for <", "sender verify defer for <", "recipient verify defer for <"} {
		i := strings.Index(s, marker)
		if i < 0 {
			continue
		}
		rest := s[i+len(marker):]
		j := strings.IndexByte(rest, '>')
		if j < 0 {
			return rec{}, false
		}
		detail := rest[j+1:]
		// A cached result names no host: no probe was sent.
		if !strings.Contains(detail, "SMTP error from remote mail server") && !strings.Contains(detail, "callout") {
			return rec{}, false
		}
		r := rec{kind: recCallout, to: rest[:j], status: "undeliverable"}
		if strings.Contains(marker, "defer") {
			r.status = "deferred"
		}
		if h := strings.TrimPrefix(detail, ": "); h != detail {
			if k := strings.Index(h, " : "); k > 0 {
				r.relay = strings.ReplaceAll(h[:k], " [", "[")
			}
		}
		return r, true
	}
	return rec{}, false
}
