package evidence

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The innocent classes of the reference on callouts, each in the exact
// line format of the MTA that writes it (Postfix smtpd/qmgr, Exim
// mainlog, spamd). The expected verdicts come from what each session did,
// as the comments say, not from the scan's output.

type ruleCase struct {
	name     string
	log      string
	networks []string
	ip       string // the host under test
	prober   string // the convicting rule wanted; "" = must not be a prober
	suspect  string // the reason wanted when it must be a suspect ("" = need not be)
}

func pfx(at, rest string) string { return "Nov 27 " + at + " mx postfix/" + rest + "\n" }

var innocentCases = []ruleCase{
	{name: "null-sender bot rejected by a DNSBL", ip: "203.0.113.7", suspect: WhyClientPolicy, log: pfx("05:00:00", "smtpd[100]: connect from unknown[203.0.113.7]") +
		pfx("05:00:01", "smtpd[100]: NOQUEUE: reject: RCPT from unknown[203.0.113.7]: 554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org; from=<> to=<alice@victim.test> proto=ESMTP helo=<pc7.example>") +
		pfx("05:00:01", "smtpd[100]: disconnect from unknown[203.0.113.7] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},
	{name: "bot forging postmaster@own rejected by a DNSBL", ip: "203.0.113.8", log: pfx("05:00:00", "smtpd[101]: connect from unknown[203.0.113.8]") +
		pfx("05:00:01", "smtpd[101]: NOQUEUE: reject: RCPT from unknown[203.0.113.8]: 554 5.7.1 Service unavailable; Client host [203.0.113.8] blocked using zen.spamhaus.org; from=<postmaster@victim.test> to=<alice@victim.test> proto=ESMTP helo=<pc8.example>") +
		pfx("05:00:01", "smtpd[101]: disconnect from unknown[203.0.113.8] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},
	{name: "greylisted bounce delivered on retry", ip: "198.51.100.5", log: pfx("05:00:00", "smtpd[102]: connect from mx.partner.example[198.51.100.5]") +
		pfx("05:00:01", "smtpd[102]: NOQUEUE: reject: RCPT from mx.partner.example[198.51.100.5]: 450 4.2.0 <alice@victim.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/victim.test.html; from=<> to=<alice@victim.test> proto=ESMTP helo=<mx.partner.example>") +
		pfx("05:00:01", "smtpd[102]: disconnect from mx.partner.example[198.51.100.5] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4") +
		pfx("05:10:02", "smtpd[103]: connect from mx.partner.example[198.51.100.5]") +
		pfx("05:10:03", "smtpd[103]: 4104E3D: client=mx.partner.example[198.51.100.5]") +
		pfx("05:10:03", "qmgr[9]: 4104E3D: from=<>, size=3000, nrcpt=1 (queue active)") +
		pfx("05:10:03", "local[104]: 4104E3D: to=<alice@victim.test>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)") +
		pfx("05:10:03", "smtpd[103]: disconnect from mx.partner.example[198.51.100.5] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")},
	{name: "Exim bounce with a bad recipient, its message 45 s later", ip: "198.51.100.6", suspect: WhyDelivered, log: "" +
		"2026-11-27 05:00:00 H=mx.partner2.example [198.51.100.6] F=<> rejected RCPT <bad@victim.test>: Unknown user\n" +
		"2026-11-27 05:00:45 1xWpSS-0001aB-1L <= <> H=mx.partner2.example [198.51.100.6] P=esmtp S=2345\n"},
	{name: "Postfix 2.x bounce with one good recipient (no statistics)", ip: "198.51.100.7", log: pfx("05:00:00", "smtpd[105]: connect from mx.partner3.example[198.51.100.7]") +
		pfx("05:00:01", "smtpd[105]: NOQUEUE: reject: RCPT from mx.partner3.example[198.51.100.7]: 550 5.1.1 <bad@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<bad@victim.test> proto=ESMTP helo=<mx.partner3.example>") +
		pfx("05:00:01", "smtpd[105]: 5A1B2C3D4E: client=mx.partner3.example[198.51.100.7]") +
		pfx("05:00:02", "qmgr[9]: 5A1B2C3D4E: from=<>, size=3000, nrcpt=1 (queue active)") +
		pfx("05:00:02", "smtpd[105]: disconnect from mx.partner3.example[198.51.100.7]")},
	{name: "dictionary bot, 30 RCPTs from <>", ip: "203.0.113.9", suspect: WhyManyRecipients, log: dictionaryLog()},
	{name: "session timed out after an accepted RCPT", ip: "198.51.100.8", log: pfx("05:00:00", "smtpd[107]: connect from mx.slow.example[198.51.100.8]") +
		pfx("05:00:01", "smtpd[107]: 6B1B2C3D4E: client=mx.slow.example[198.51.100.8]") +
		pfx("05:05:01", "smtpd[107]: timeout after RCPT from mx.slow.example[198.51.100.8]") +
		pfx("05:05:01", "smtpd[107]: disconnect from mx.slow.example[198.51.100.8] ehlo=1 mail=1 rcpt=1 commands=3")},
	{name: "null sender dropped after RCPT", ip: "198.51.100.9", suspect: WhyDropped, log: pfx("05:00:00", "smtpd[108]: connect from unknown[198.51.100.9]") +
		pfx("05:00:01", "smtpd[108]: NOQUEUE: reject: RCPT from unknown[198.51.100.9]: 550 5.1.1 <bad@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<bad@victim.test> proto=ESMTP helo=<h.example>") +
		pfx("05:00:02", "smtpd[108]: lost connection after RCPT from unknown[198.51.100.9]") +
		pfx("05:00:02", "smtpd[108]: disconnect from unknown[198.51.100.9] ehlo=1 mail=1 rcpt=0/1 commands=2/3")},
	{name: "spamd (BLACK) tarpitted host", ip: "210.214.12.57", log: "" +
		"Nov  6 09:51:20 gw spamd[23576]: 210.214.12.57: connected (1/1), lists: spamd-greytrap\n" +
		"Nov  6 09:55:33 gw spamd[23576]: (BLACK) 210.214.12.57: <> -> <alice@victim.test>\n" +
		"Nov  6 09:58:20 gw spamd[23576]: 210.214.12.57: disconnected after 420 seconds. lists: spamd-greytrap\n"},
	{name: "own gateway's reject_unverified_recipient probe", ip: "10.0.0.25", networks: []string{"10.0.0.0/8"}, log: pfx("05:00:00", "smtpd[109]: connect from gw.victim.test[10.0.0.25]") +
		pfx("05:00:01", "smtpd[109]: NOQUEUE: reject: RCPT from gw.victim.test[10.0.0.25]: 550 5.1.1 <bad@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<double-bounce@victim.test> to=<bad@victim.test> proto=ESMTP helo=<gw.victim.test>") +
		pfx("05:00:01", "smtpd[109]: disconnect from gw.victim.test[10.0.0.25] ehlo=1 mail=1 rcpt=0/1 rset=1 quit=1 commands=4/5")},
	{name: "own Exchange's NDR", ip: "10.0.0.30", networks: []string{"10.0.0.0/8"}, log: pfx("05:00:00", "smtpd[110]: connect from exch.victim.test[10.0.0.30]") +
		pfx("05:00:01", "smtpd[110]: NOQUEUE: reject: RCPT from exch.victim.test[10.0.0.30]: 550 5.1.1 <gone@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<gone@victim.test> proto=ESMTP helo=<exch.victim.test>") +
		pfx("05:00:01", "smtpd[110]: disconnect from exch.victim.test[10.0.0.30] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},
}

func dictionaryLog() string {
	var b strings.Builder
	b.WriteString(pfx("05:00:00", "smtpd[106]: connect from unknown[203.0.113.9]"))
	for i := range 30 {
		b.WriteString(pfx("05:00:01", "smtpd[106]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 550 5.1.1 <user"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<user"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@victim.test> proto=ESMTP helo=<pc9.example>"))
	}
	b.WriteString(pfx("05:00:02", "smtpd[106]: disconnect from unknown[203.0.113.9] ehlo=1 mail=1 rcpt=0/30 quit=1 commands=3/32"))
	return b.String()
}

// Evidence the rules must find.
var evidenceCases = []ruleCase{
	{name: "greylisted callout asked again 12 minutes later", ip: "192.0.2.40", prober: RuleGreylistedCallout, log: pfx("05:00:00", "smtpd[120]: connect from mx.verifier.example[192.0.2.40]") +
		pfx("05:00:01", "smtpd[120]: NOQUEUE: reject: RCPT from mx.verifier.example[192.0.2.40]: 450 4.2.0 <alice@victim.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/victim.test.html; from=<> to=<alice@victim.test> proto=ESMTP helo=<mx.verifier.example>") +
		pfx("05:00:01", "smtpd[120]: disconnect from mx.verifier.example[192.0.2.40] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4") +
		pfx("05:12:01", "smtpd[121]: connect from mx.verifier.example[192.0.2.40]") +
		pfx("05:12:02", "smtpd[121]: 7C1B2C3D4E: client=mx.verifier.example[192.0.2.40]") +
		pfx("05:12:02", "smtpd[121]: disconnect from mx.verifier.example[192.0.2.40] ehlo=1 mail=1 rcpt=1 rset=1 quit=1 commands=5")},
	{name: "plain null-sender callout", ip: "192.0.2.41", prober: RuleNullSender, log: pfx("05:00:00", "smtpd[122]: connect from mx.v2.example[192.0.2.41]") +
		pfx("05:00:01", "smtpd[122]: NOQUEUE: reject: RCPT from mx.v2.example[192.0.2.41]: 550 5.1.1 <keerheior@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<keerheior@victim.test> proto=ESMTP helo=<mx.v2.example>") +
		pfx("05:00:01", "smtpd[122]: disconnect from mx.v2.example[192.0.2.41] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},
	{name: "Exim random probe rejected by a DNSBL is still a probe", ip: "192.0.2.42", prober: RuleEximRandom, log: pfx("05:00:00", "smtpd[123]: connect from unknown[192.0.2.42]") +
		pfx("05:00:01", "smtpd[123]: NOQUEUE: reject: RCPT from unknown[192.0.2.42]: 554 5.7.1 Service unavailable; Client host [192.0.2.42] blocked using zen.spamhaus.org; from=<> to=<mx9.v3.example-1795760883-testing@victim.test> proto=ESMTP helo=<mx9.v3.example>") +
		pfx("05:00:01", "smtpd[123]: disconnect from unknown[192.0.2.42] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},
	{name: "Sendmail size=0: the client quit before DATA", ip: "192.0.2.43", prober: RuleEximRandom, log: "" +
		"Feb 27 15:49:02 batman sm-mta[88377]: s1REn1un088377: ruleset=check_rcpt, arg1=<mx.v4.example-1795760883-testing@victim.test>, relay=mx.v4.example [192.0.2.43], reject=550 5.1.1 <mx.v4.example-1795760883-testing@victim.test>... User unknown\n" +
		"Feb 27 15:49:03 batman sm-mta[88377]: s1REn1un088377: from=<>, size=0, class=0, nrcpts=1, proto=ESMTP, daemon=MTA-v4, relay=mx.v4.example [192.0.2.43]\n"},
}

func judgeCase(t *testing.T, c ruleCase) {
	t.Helper()
	o := scanOpts("-")
	o.Domains, o.OwnNetworks = []string{"victim.test"}, c.networks
	o.Stdin = strings.NewReader(c.log)
	o.YearReference = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Malformed != 0 {
		t.Errorf("%d malformed lines: %+v", rep.Stats.Malformed, rep.Stats.Files[0].FirstBad)
	}
	p := findProber(rep, c.ip)
	switch {
	case c.prober == "" && p != nil:
		t.Errorf("%s accused: rule %s, %s", c.ip, p.Rule, p.Events[0].Reason)
	case c.prober != "" && (p == nil || p.Rule != c.prober):
		t.Errorf("%s: prober %+v, want convicted by %s; suspects %+v", c.ip, p, c.prober, rep.Suspects)
	}
	if c.suspect != "" {
		if s := findSuspect(rep, c.ip); s == nil || s.NotAccused[c.suspect] == 0 {
			t.Errorf("%s: suspect %+v, want one with reason %s", c.ip, s, c.suspect)
		}
	}
}

func TestInnocentClassesAreNotAccused(t *testing.T) {
	for _, c := range innocentCases {
		t.Run(c.name, func(t *testing.T) { judgeCase(t, c) })
	}
}

func TestCalloutEvidenceIsFound(t *testing.T) {
	for _, c := range evidenceCases {
		t.Run(c.name, func(t *testing.T) { judgeCase(t, c) })
	}
}

func TestClassifyAnswer(t *testing.T) {
	for reply, want := range map[string]rcptAnswer{
		"554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org":     answerPolicy,
		"450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.7]":                    answerPolicy,
		"450 4.2.0 <a@b>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/": answerTemporary,
		"550 5.1.1 <a@b>: Recipient address rejected: User unknown in local recipient table":          answerRecipient,
		"450 4.1.1 <a@b>: Recipient address rejected: User unknown in local recipient table":          answerTemporary,
		"Unknown user":                         answerRecipient,
		"554 5.7.1 <a@b>: Relay access denied": answerPolicy,
	} {
		if got := classifyAnswer(true, reply); got != want {
			t.Errorf("%q: %d, want %d", reply, got, want)
		}
	}
}

// Shapes that hid evidence: postscreen, milter-reject and
// smtpd_client_port_logging = yes (Postfix src/postscreen, smtpd_milter.c,
// smtpd.c); lines in their exact format.
var shapeCases = []ruleCase{
	{name: "postscreen reject of an Exim random probe", ip: "192.0.2.50", prober: RuleEximRandom, log: "" +
		"Nov 27 05:00:00 mx postfix/postscreen[200]: CONNECT from [192.0.2.50]:41000 to [192.0.2.1]:25\n" +
		"Nov 27 05:00:06 mx postfix/postscreen[200]: PASS NEW [192.0.2.50]:41000\n" +
		"Nov 27 05:00:06 mx postfix/postscreen[200]: NOQUEUE: reject: RCPT from [192.0.2.50]:41000: 550 5.7.1 Service unavailable; client [192.0.2.50] blocked using zen.spamhaus.org; from=<>, to=<mx9.v5.example-1795760883-testing@victim.test>, proto=ESMTP, helo=<mx9.v5.example>\n" +
		"Nov 27 05:00:07 mx postfix/postscreen[200]: DISCONNECT [192.0.2.50]:41000\n"},
	{name: "postscreen reject of a null-sender bot", ip: "203.0.113.51", suspect: WhyClientPolicy, log: "" +
		"Nov 27 05:00:00 mx postfix/postscreen[200]: CONNECT from [203.0.113.51]:41001 to [192.0.2.1]:25\n" +
		"Nov 27 05:00:06 mx postfix/postscreen[200]: NOQUEUE: reject: RCPT from [203.0.113.51]:41001: 550 5.7.1 Service unavailable; client [203.0.113.51] blocked using zen.spamhaus.org; from=<>, to=<alice@victim.test>, proto=ESMTP, helo=<pc51.example>\n" +
		"Nov 27 05:00:07 mx postfix/postscreen[200]: DISCONNECT [203.0.113.51]:41001\n"},
	{name: "milter-reject of a Postfix verification probe", ip: "192.0.2.52", prober: RulePostfixVerify, log: pfx("05:00:00", "smtpd[201]: connect from mx.v6.example[192.0.2.52]") +
		pfx("05:00:01", "smtpd[201]: NOQUEUE: milter-reject: RCPT from mx.v6.example[192.0.2.52]: 550 5.1.1 No such user; from=<double-bounce@v6.example> to=<bob@victim.test> proto=ESMTP helo=<mx.v6.example>") +
		pfx("05:00:01", "smtpd[201]: disconnect from mx.v6.example[192.0.2.52] ehlo=1 mail=1 rcpt=0/1 rset=1 quit=1 commands=4/5")},
	{name: "smtpd_client_port_logging = yes", ip: "192.0.2.53", prober: RuleNullSender, log: pfx("05:00:00", "smtpd[202]: connect from mx.v7.example[192.0.2.53]:52811") +
		pfx("05:00:01", "smtpd[202]: NOQUEUE: reject: RCPT from mx.v7.example[192.0.2.53]:52811: 550 5.1.1 <keerheior@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<keerheior@victim.test> proto=ESMTP helo=<mx.v7.example>") +
		pfx("05:00:01", "smtpd[202]: disconnect from mx.v7.example[192.0.2.53]:52811 ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},
}

func TestShapesThatHidEvidence(t *testing.T) {
	for _, c := range shapeCases {
		t.Run(c.name, func(t *testing.T) { judgeCase(t, c) })
	}
}

// The port-logging form gives the same report as the plain one (but for
// the raw lines).
func TestClientPortLoggingSameProbers(t *testing.T) {
	plain := strings.NewReplacer("]:52811", "]").Replace(shapeCases[3].log)
	scan := func(log string) []Prober {
		o := scanOpts("-")
		o.Domains, o.Stdin = []string{"victim.test"}, strings.NewReader(log)
		o.YearReference = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		rep, err := Scan(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		for i := range rep.Probers {
			for j := range rep.Probers[i].Events {
				rep.Probers[i].Events[j].Lines = nil
			}
		}
		return rep.Probers
	}
	a, b := scan(plain), scan(shapeCases[3].log)
	if len(a) != 1 || !reflect.DeepEqual(a, b) {
		t.Errorf("plain %+v\nport logging %+v", a, b)
	}
}

func TestUnusedLinesAreCounted(t *testing.T) {
	o := scanOpts("-")
	o.Stdin = strings.NewReader(shapeCases[0].log + pfx("05:00:09", "smtpd[203]: NOQUEUE: reject: CONNECT from unknown[203.0.113.60]: 554 5.7.1 <unknown[203.0.113.60]>: Client host rejected: Access denied; proto=SMTP"))
	o.YearReference = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"postscreen PASS": 1, "postfix reject CONNECT": 1}
	if !reflect.DeepEqual(rep.Stats.Unused, want) {
		t.Errorf("unused %v, want %v", rep.Stats.Unused, want)
	}
}

// A multi-host log where mx2's clock is 2 h ahead: its lines must not
// close mx1's open session by mx2's time, which cut a delivered bounce in
// two and accused its first half.
func TestSkewedHostDoesNotCutSessions(t *testing.T) {
	c := ruleCase{name: "skewed host", ip: "198.51.100.20", log: "" +
		"Nov 27 05:00:00 mx1 postfix/smtpd[300]: connect from mx.partner5.example[198.51.100.20]\n" +
		"Nov 27 05:00:01 mx1 postfix/smtpd[300]: NOQUEUE: reject: RCPT from mx.partner5.example[198.51.100.20]: 550 5.1.1 <bad@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<bad@victim.test> proto=ESMTP helo=<mx.partner5.example>\n" +
		"Nov 27 07:10:00 mx2 postfix/smtpd[900]: connect from unknown[203.0.113.99]\n" +
		"Nov 27 07:10:01 mx2 postfix/smtpd[900]: disconnect from unknown[203.0.113.99] ehlo=1 quit=1 commands=2\n" +
		"Nov 27 05:00:02 mx1 postfix/smtpd[300]: 8C1B2C3D4E: client=mx.partner5.example[198.51.100.20]\n" +
		"Nov 27 05:00:03 mx1 postfix/qmgr[9]: 8C1B2C3D4E: from=<>, size=3000, nrcpt=1 (queue active)\n" +
		"Nov 27 05:00:03 mx1 postfix/smtpd[300]: disconnect from mx.partner5.example[198.51.100.20] ehlo=1 mail=1 rcpt=1/2 data=1 quit=1 commands=5/6\n"}
	judgeCase(t, c)
}

// TestUnusedLinesByKindOtherMTAs: Exim, Sendmail and OpenSMTPD lines
// about a client that no rule reads are counted by kind, in their real
// formats (src/smtp_in.c and acl.c; srvrsmtp.c, milter.c;
// smtp_session.c); the lines the rules read are not.
func TestUnusedLinesByKindOtherMTAs(t *testing.T) {
	for _, c := range []struct {
		name, log string
		want      map[string]int
	}{
		{"exim", "" +
			"2026-11-27 05:00:00 [5718] rejected EHLO from [192.0.2.1]: syntactically invalid argument(s): _\n" +
			"2026-11-27 05:00:01 [5719] SMTP protocol synchronization error (input sent without waiting for greeting): rejected connection from H=[192.0.2.2] input=\"GET / HTTP/1.1\"\n" +
			"2026-11-27 05:00:02 [5720] H=[192.0.2.4] rejected connection in \"connect\" ACL: listed at zen.spamhaus.org\n" +
			"2026-11-27 05:00:03 [5721] H=(helo.example) [192.0.2.5] F=<> rejected RCPT <nobody@victim.test>: Unknown user\n" +
			"2026-11-27 05:00:04 1vOQ3M-0001xY-7a Completed\n",
			map[string]int{"exim rejected EHLO": 1, "exim synchronization error": 1, "exim rejected connection": 1}},
		{"sendmail", "" +
			"Feb 27 16:00:00 batman sm-mta[88401]: NOQUEUE: ruleset=check_relay, arg1=[192.0.2.5], arg2=127.0.0.2, relay=[192.0.2.5], reject=550 5.7.1 Rejected: 192.0.2.5 listed at zen.spamhaus.org\n" +
			"Feb 27 16:00:01 batman sm-mta[88402]: NOQUEUE: [192.0.2.6] did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA-v4\n" +
			"Feb 27 16:00:02 batman sm-mta[88403]: s1RF002a088403: Milter: to=<alice@victim.test>, reject=550 5.7.1 Command rejected\n" +
			"Feb 27 16:00:03 batman sm-mta[88403]: s1RF002a088403: ruleset=check_rcpt, arg1=<ghost@victim.test>, relay=client.example.net [192.0.2.7], reject=550 5.1.1 <ghost@victim.test>... User unknown\n",
			map[string]int{"sendmail ruleset=check_relay": 1, "sendmail did not issue MAIL/EXPN/VRFY/ETRN": 1, "sendmail milter": 1}},
		{"opensmtpd", "" +
			"Mar 08 20:48:47 webserver smtpd[88171]: 2cd79d8bacbe2c12 smtp connected address=192.0.2.8 host=client.example.net\n" +
			"Mar 08 20:48:47 webserver smtpd[88171]: 2cd79d8bacbe2c12 smtp tls ciphers=TLSv1.3:TLS_AES_256_GCM_SHA384:256\n" +
			"Mar 08 20:48:48 webserver smtpd[88171]: 2cd79d8bacbe2c12 smtp failed-command command=\"VRFY root\" result=\"502 5.5.1 Command not supported\"\n" +
			"Mar 08 20:48:49 webserver smtpd[88171]: 2cd79d8bacbe2c12 smtp failed-command command=\"RCPT TO:<info@victim.test> \" result=\"550 Invalid recipient: <info@victim.test>\"\n" +
			"Mar 08 20:48:50 webserver smtpd[88171]: 2cd79d8bacbe2c12 smtp disconnected reason=quit\n",
			map[string]int{"opensmtpd tls": 1, "opensmtpd failed-command VRFY": 1}},
	} {
		rep := scanText(t, c.log, "victim.test")
		if !reflect.DeepEqual(rep.Stats.Unused, c.want) {
			t.Errorf("%s: unused %v, want %v", c.name, rep.Stats.Unused, c.want)
		}
	}
}
