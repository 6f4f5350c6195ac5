package evidence

import (
	"context"
	"strings"
	"testing"
)

// An authenticated client's message (SMTP AUTH) from an own-domain sender
// is our own user's mail, wherever the client is: never a forged use, and
// never the "forgery" a later probe is linked to. Each log: alice@ sends
// from a hotel network outside --network, then, a minute later, a
// stranger's Exim random callout asks for alice@ (refused random part,
// alice@ named). The control is the same message without AUTH.
func TestAuthenticatedSenderIsNotForged(t *testing.T) {
	callout := pfx("05:01:00", "smtpd[501]: connect from mx.other.example[198.51.100.150]") +
		pfx("05:01:00", "smtpd[501]: NOQUEUE: reject: RCPT from mx.other.example[198.51.100.150]: 550 5.1.1 <mx.other.example-1795755660-testing@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<mx.other.example-1795755660-testing@victim.test> proto=ESMTP helo=<mx.other.example>") +
		pfx("05:01:00", "smtpd[501]: NOQUEUE: reject: RCPT from mx.other.example[198.51.100.150]: 550 5.1.1 <alice@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<alice@victim.test> proto=ESMTP helo=<mx.other.example>") +
		pfx("05:01:00", "smtpd[501]: disconnect from mx.other.example[198.51.100.150] ehlo=2 starttls=1 mail=2 rcpt=0/2 rset=1 quit=1 commands=7/9")
	postfixSub := func(sasl string) string {
		return pfx("05:00:00", "submission/smtpd[500]: connect from unknown[203.0.113.6]") +
			pfx("05:00:00", "submission/smtpd[500]: AD1B2C3D4E: client=unknown[203.0.113.6]"+sasl) +
			pfx("05:00:00", "qmgr[9]: AD1B2C3D4E: from=<alice@victim.test>, size=812, nrcpt=1 (queue active)") +
			pfx("05:00:00", "submission/smtpd[500]: disconnect from unknown[203.0.113.6] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8")
	}
	// A refused RCPT of alice@ (to a departed colleague) in a submission
	// session: Postfix's reject line does not say the client logged in,
	// its disconnect statistics do (auth=1).
	postfixReject := func(auth string) string {
		return pfx("05:00:00", "submission/smtpd[502]: connect from unknown[203.0.113.6]") +
			pfx("05:00:00", "submission/smtpd[502]: NOQUEUE: reject: RCPT from unknown[203.0.113.6]: 550 5.1.1 <gone@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<alice@victim.test> to=<gone@victim.test> proto=ESMTP helo=<[192.168.1.23]>") +
			pfx("05:00:01", "submission/smtpd[502]: disconnect from unknown[203.0.113.6] ehlo=2 starttls=1 "+auth+"mail=1 rcpt=0/1 quit=1 commands=6/7")
	}
	eximCallout := "2026-11-27 05:01:00 [4102] H=mx.other.example [198.51.100.150] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no F=<> rejected RCPT <mx.other.example-1795755660-testing@victim.test>: Unrouteable address\n" +
		"2026-11-27 05:01:00 [4102] H=mx.other.example [198.51.100.150] incomplete transaction (RSET) from <>\n" +
		"2026-11-27 05:01:00 [4102] H=mx.other.example [198.51.100.150] incomplete transaction (QUIT) from <> for alice@victim.test\n"
	cases := []struct {
		name   string
		log    string
		forged bool
		prober bool // the callout convicts: no mail of ours left (only a message explains it)
	}{
		{"Postfix SASL submission", postfixSub(", sasl_method=PLAIN, sasl_username=alice@victim.test") + callout, false, false},
		{"Postfix without SASL (control)", postfixSub("") + callout, true, true},
		{"Postfix refused RCPT in a SASL session", postfixReject("auth=1 ") + callout, false, true},
		{"Postfix refused RCPT without AUTH (control)", postfixReject("") + callout, true, true},
		{"Exim A= submission", "2026-11-27 05:00:00 [4100] 1xWpTT-0002aB-1L <= alice@victim.test H=(laptop) [203.0.113.5] P=esmtpa A=plain_server:alice@victim.test S=812 id=20261127050000.004100@laptop\n" + eximCallout, false, false},
		{"Exim A= on a refused RCPT", "2026-11-27 05:00:00 [4100] H=(laptop) [203.0.113.5] F=<alice@victim.test> A=plain_server:alice@victim.test rejected RCPT <gone@victim.test>: Unknown user\n" + eximCallout, false, true},
		{"Exim refused RCPT without A= (control)", "2026-11-27 05:00:00 [4100] H=(laptop) [203.0.113.5] F=<alice@victim.test> rejected RCPT <gone@victim.test>: Unknown user\n" + eximCallout, true, true},
		{"Exim without A= (control)", "2026-11-27 05:00:00 [4100] 1xWpTT-0002aB-1L <= alice@victim.test H=(laptop) [203.0.113.5] P=esmtp S=812 id=20261127050000.004100@laptop\n" + eximCallout, true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := scanOpts("-")
			o.Domains, o.OwnNetworks = []string{"victim.test"}, []string{"10.0.0.0/8"}
			o.Stdin = strings.NewReader(c.log)
			rep, err := Scan(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Stats.Malformed != 0 {
				t.Fatalf("%d malformed lines", rep.Stats.Malformed)
			}
			forged := false
			for _, f := range rep.Campaign.ForgedSenders {
				forged = forged || f.Address == "alice@victim.test"
			}
			linked := false
			for _, l := range rep.Campaign.Links {
				linked = linked || l.Address == "alice@victim.test"
			}
			if forged != c.forged || linked != c.forged {
				t.Errorf("alice@ listed as forged: %v, linked: %v; want %v", forged, linked, c.forged)
			}
			// With AUTH the message is our mail and the callout within
			// 15 min is the partner verifying it (own-mail-verified);
			// without, the forged use explains nothing and it convicts.
			// A refused RCPT sent no mail: nothing of ours to verify.
			if p := findProber(rep, "198.51.100.150"); (p != nil) != c.prober {
				t.Errorf("prober: %v, want %v", p != nil, c.prober)
			}
		})
	}
}
