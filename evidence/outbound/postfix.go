package outbound

import "strings"

// parsePostfix reads one Postfix message (after "postfix/prog[pid]: ").
// The shapes are those of Postfix 3.x: smtpd's client= line (with
// sasl_username= when the client authenticated, smtpd_sasl_auth_enable),
// pickup's uid= line, qmgr's from= line, the delivery agents' to= …
// status= lines (src/global/log_adhoc.c), and bounce's "sender
// non-delivery notification: QID" (src/bounce/bounce_notify_service.c).
// Address-verification probes end in status=deliverable or
// status=undeliverable (src/global/verify.c).
func parsePostfix(prog, msg string) (rec, bool) {
	qid, rest, ok := queueID(msg)
	if !ok {
		return rec{}, true // NOQUEUE, connect, statistics, warnings
	}
	r := rec{qid: qid}
	switch prog {
	case "smtpd", "submission", "smtps":
		if !strings.HasPrefix(rest, "client=") {
			return rec{}, true
		}
		r.kind = recClient
		r.sasl, _ = field(rest, "sasl_username=")
		c, _ := field(rest, "client=")
		r.client = bracketIP(c)
		return r, true
	case "pickup":
		from, ok := field(rest, "from=")
		if !ok {
			// "uid=N" without from= is a broken pickup line.
			return rec{}, !strings.HasPrefix(rest, "uid=")
		}
		r.kind, r.sender, r.local = recPickup, from, true
		return r, true
	case "qmgr":
		if rest == "removed" {
			r.kind = recRemoved
			return r, true
		}
		if !strings.HasPrefix(rest, "from=<") {
			return rec{}, true // expired, skipped
		}
		from, ok := field(rest, "from=")
		r.kind, r.sender = recFrom, from
		return r, ok
	case "bounce":
		for _, p := range []string{"sender non-delivery notification: ", "sender delivery status notification: ", "sender delay notification: "} {
			if strings.HasPrefix(rest, p) {
				r.kind, r.newQID = recNotify, strings.TrimSpace(rest[len(p):])
				return r, r.newQID != ""
			}
		}
		return rec{}, true
	}
	if !strings.HasPrefix(rest, "to=<") {
		return rec{}, true
	}
	r, ok = postfixDelivery(r, rest)
	if localAgent(prog) {
		// lmtp to Dovecot (a socket or 127.0.0.1:24), virtual, pipe:
		// the mail stays on the operator's side whatever relay= says.
		r.relay = ""
	}
	return r, ok
}

func localAgent(prog string) bool {
	switch prog {
	case "local", "virtual", "lmtp", "pipe", "discard", "error", "retry":
		return true
	}
	return false
}

// postfixDelivery reads "to=<…>, relay=…, …, status=S (text)".
func postfixDelivery(r rec, rest string) (rec, bool) {
	to, ok1 := field(rest, "to=")
	relay, ok2 := field(rest, "relay=")
	status, ok3 := field(rest, "status=")
	if !ok1 || !ok2 || !ok3 {
		return rec{}, false
	}
	r.kind, r.to, r.relay, r.status = recDelivery, to, relayHost(relay), status
	_, r.forwarded = field(rest, "orig_to=")
	return r, true
}
