package evidence

import (
	"errors"
	"testing"
	"time"
)

// want is the part of an Event a table row checks ("-" = must be empty).
type want struct {
	kind      Kind
	session   string
	ip, name  string
	helo      string
	sender    string
	hasSender bool
	rcpt      string
	rejected  bool
	qid       string
	count     int
}

func checkEvent(t *testing.T, line string, got Event, w want) {
	t.Helper()
	if got.Kind != w.kind || got.IP != w.ip || got.Helo != w.helo || got.Sender != w.sender ||
		got.HasSender != w.hasSender || got.Recipient != w.rcpt || got.Rejected != w.rejected ||
		(w.session != "" && got.Session != w.session) || (w.name != "" && got.Name != w.name) ||
		(w.qid != "" && got.QueueID != w.qid) || (w.count != 0 && got.Count != w.count) {
		t.Errorf("%s\n got  kind=%s session=%q ip=%q name=%q helo=%q sender=%q/%v rcpt=%q rejected=%v qid=%q count=%d\n want %+v",
			line, got.Kind, got.Session, got.IP, got.Name, got.Helo, got.Sender, got.HasSender, got.Recipient, got.Rejected, got.QueueID, got.Count, w)
	}
	if got.Raw != line || got.Line != 1 || got.File != "t.log" {
		t.Errorf("%s: evidence lost: file=%q line=%d raw=%q", line, got.File, got.Line, got.Raw)
	}
}

type parseCase struct {
	name string
	line string
	want want
}

func runParseCases(t *testing.T, f Format, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := NewLineParser(f, time.UTC, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "t.log")
			evs, err := p.Parse(tc.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if tc.want.kind == KindNone {
				if len(evs) != 0 {
					t.Fatalf("got %d events, want none", len(evs))
				}
				return
			}
			if len(evs) != 1 {
				t.Fatalf("got %d events, want 1", len(evs))
			}
			checkEvent(t, tc.line, evs[0], tc.want)
		})
	}
}

func TestParseSpamd(t *testing.T) {
	runParseCases(t, FormatSyslog, []parseCase{
		{"connected", "Aug 19 14:35:27 delilah spamd[26915]: 207.244.64.181: connected (25/24)",
			want{kind: KindConnect, session: "26915", ip: "207.244.64.181"}},
		{"grey tuple", "Aug 19 14:35:38 delilah spamd[26915]: (GREY) 207.244.64.181: <> -> <mx42.antispamcloud.com-1503146097-testing@bsdly.com>",
			want{kind: KindRcpt, ip: "207.244.64.181", hasSender: true, rcpt: "mx42.antispamcloud.com-1503146097-testing@bsdly.com"}},
		{"new entry", "Aug 19 14:35:38 delilah spamd[15291]: new entry 207.244.64.181 from <> to <mx42.antispamcloud.com-1503146097-testing@bsdly.com>, helo mx18-12.smtp.antispamcloud.com",
			want{kind: KindGrey, ip: "207.244.64.181", helo: "mx18-12.smtp.antispamcloud.com", hasSender: true, rcpt: "mx42.antispamcloud.com-1503146097-testing@bsdly.com"}},
		{"black tuple", "Nov  6 09:55:33 delilah spamd[23576]: (BLACK) 210.214.12.57: <gilbert@keyholes.net> -> <wkitp98zpu.fsf@datadok.no>",
			want{kind: KindRcpt, ip: "210.214.12.57", sender: "gilbert@keyholes.net", hasSender: true, rcpt: "wkitp98zpu.fsf@datadok.no"}},
		{"connected with lists", "Nov  6 09:51:20 delilah spamd[23576]: 210.214.12.57: connected (1/1), lists: spamd-greytrap",
			want{kind: KindConnect, ip: "210.214.12.57"}},
		{"disconnected with lists", "Oct  2 20:00:05 delilah spamd[26905]: 65.210.185.131: disconnected after 404 seconds. lists: spews1",
			want{kind: KindDisconnect, ip: "65.210.185.131"}},
		{"ipv6", "Oct  2 20:00:05 delilah spamd[26905]: 2001:db8::25: connected (1/0)",
			want{kind: KindConnect, ip: "2001:db8::25"}},
		{"mail.info priority", "Aug 19 14:35:27 <mail.info> delilah spamd[26915]: 207.244.64.181: connected (25/24)",
			want{kind: KindConnect, ip: "207.244.64.181"}},
		{"header of black mail is ignored", "Nov  6 09:55:40 delilah spamd[23576]: 210.214.12.57: Subject: buy",
			want{}},
	})
}

func TestParseSpamdb(t *testing.T) {
	runParseCases(t, FormatSpamdb, []parseCase{
		{"grey 10 fields", "GREY|207.244.64.181|mx18-12.smtp.antispamcloud.com|<>|<mx42.antispamcloud.com-1503146097-testing@bsdly.com>|1503146138|1503146438|1503160538|1|0",
			want{kind: KindGrey, ip: "207.244.64.181", helo: "mx18-12.smtp.antispamcloud.com", hasSender: true, rcpt: "mx42.antispamcloud.com-1503146097-testing@bsdly.com"}},
		{"grey 9 fields", "GREY|203.0.113.9|<bounce@example.org>|<nosuch@bsdly.com>|1144932538|1144934045|1148291113|1|0",
			want{kind: KindGrey, ip: "203.0.113.9", sender: "bounce@example.org", hasSender: true, rcpt: "nosuch@bsdly.com"}},
		{"white", "WHITE|83.221.139.201|||1144932538|1144934045|1148291113|2|2", want{kind: KindWhite, ip: "83.221.139.201"}},
		{"trapped", "TRAPPED|203.0.113.66|1503160000", want{kind: KindTrapped, ip: "203.0.113.66"}},
		{"spamtrap", "SPAMTRAP|<trap@bsdly.net>", want{kind: KindSpamtrap, rcpt: "trap@bsdly.net"}},
	})
	p := NewLineParser(FormatSpamdb, time.UTC, time.Time{}, "t.log")
	evs, _ := p.Parse("GREY|207.244.64.181|h|<>|<a@b>|1503146138|1503146438|1503160538|1|0")
	if got := evs[0].Time.Unix(); got != 1503146138 {
		t.Errorf("GREY time = %d, want the first-seen epoch 1503146138", got)
	}
	for _, bad := range []string{"GREY|1.2.3.4|x", "GREY|1.2.3.4|h|<>|<a@b>|notanumber|1|1|1|0", "WHITE|1.2.3.4|x", "TRAPPED|nope|1", "SPAMTRAP|"} {
		if _, err := p.Parse(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q) = %v, want ErrMalformed", bad, err)
		}
	}
}

func TestParsePostfix(t *testing.T) {
	runParseCases(t, FormatSyslog, []parseCase{
		{"connect", "Nov 27 05:42:16 mx postfix/smtpd[23998]: connect from unknown[127.0.0.25]",
			want{kind: KindConnect, session: "23998", ip: "127.0.0.25", name: "unknown"}},
		{"reject rcpt", "Nov 27 05:42:16 mx postfix/smtpd[23998]: NOQUEUE: reject: RCPT from unknown[127.0.0.25]: 550 5.1.1 <keerheior@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<keerheior@victim.test> proto=ESMTP helo=<mx42.prober.test>",
			want{kind: KindRcpt, ip: "127.0.0.25", helo: "mx42.prober.test", hasSender: true, rcpt: "keerheior@victim.test", rejected: true}},
		{"reject 450 other host", "Apr 15 17:08:25 infecticide postfix/smtpd[15595]: NOQUEUE: reject: RCPT from unknown[69.39.36.246]: 450 4.1.1 <iteal_1978@jortosh.com>: Recipient address rejected: User unknown in local recipient table; from=<> to=<iteal_1978@jortosh.com> proto=ESMTP helo=<mail.coafcu.org>",
			want{kind: KindRcpt, ip: "69.39.36.246", helo: "mail.coafcu.org", hasSender: true, rcpt: "iteal_1978@jortosh.com", rejected: true}},
		{"reject with queue id and sender", "Nov 27 05:42:16 mx postfix/smtpd[1]: 4104E3D: reject: RCPT from a.example[192.0.2.1]: 554 5.7.1 <x@victim.test>: Relay access denied; from=<double-bounce@verifier.test> to=<x@victim.test> proto=ESMTP helo=<a.example>",
			want{kind: KindRcpt, ip: "192.0.2.1", name: "a.example", helo: "a.example", sender: "double-bounce@verifier.test", hasSender: true, rcpt: "x@victim.test", rejected: true, qid: "4104E3D"}},
		{"client", "Nov 27 05:42:16 mx postfix/smtpd[5]: 4104E3D: client=061238241086.static.ctinets.com[61.238.241.86]",
			want{kind: KindClient, ip: "61.238.241.86", name: "061238241086.static.ctinets.com", qid: "4104E3D"}},
		{"client with sasl", "Nov 27 05:42:16 mx postfix/submission/smtpd[5]: 4Xk2lR1bz5z9vKp: client=h.example[2001:db8::1], sasl_method=PLAIN, sasl_username=u",
			want{kind: KindClient, ip: "2001:db8::1", qid: "4Xk2lR1bz5z9vKp"}},
		{"disconnect", "Nov 27 05:42:16 mx postfix/smtpd[23998]: disconnect from unknown[127.0.0.25] ehlo=2 starttls=1 mail=2 rcpt=0/2 rset=1 quit=1 commands=7/9",
			want{kind: KindDisconnect, ip: "127.0.0.25"}},
		{"qmgr from", "Nov 27 05:42:16 mx postfix/qmgr[2]: 0F5383D: from=<owner-postfix-users@postfix.org>, size=5360, nrcpt=1 (queue active)",
			want{kind: KindMessage, sender: "owner-postfix-users@postfix.org", hasSender: true, qid: "0F5383D", count: 1}},
		{"qmgr null sender", "Nov 27 05:42:16 mx postfix/qmgr[2]: 0F5383D: from=<>, size=5360, nrcpt=1 (queue active)",
			want{kind: KindMessage, hasSender: true, qid: "0F5383D"}},
		{"delivery", "Nov 27 05:42:26 mx postfix/smtp[24034]: 7E813C211E: to=<hjkyu@victim2.test>, relay=127.0.0.35[127.0.0.35]:25, delay=0.06, delays=0/0/0.06/0, dsn=5.0.0, status=undeliverable (host said: 550 Unknown user (in reply to RCPT TO command))",
			want{kind: KindDelivery, rcpt: "hjkyu@victim2.test", qid: "7E813C211E", ip: "127.0.0.35", name: "127.0.0.35"}}, // the smtp client's relay
		{"local delivery", "Nov 27 05:42:26 mx postfix/local[24035]: 7E813C211F: to=<carl@victim2.test>, relay=local, delay=0.06, delays=0/0/0/0.06, dsn=2.0.0, status=sent (delivered to mailbox)",
			want{kind: KindDelivery, rcpt: "carl@victim2.test", qid: "7E813C211F"}},
		{"smtp delivery, no connection", "Nov 27 05:42:26 mx postfix/smtp[24036]: 7E813C2120: to=<bob@partner.example>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.partner.example[198.51.100.81]:25: Connection timed out)",
			want{kind: KindDelivery, rcpt: "bob@partner.example", qid: "7E813C2120"}},
		{"lmtp delivery is not a relay", "Nov 27 05:42:26 mx postfix/lmtp[24037]: 7E813C2121: to=<carl@victim2.test>, relay=store.victim2.test[10.0.0.9]:24, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)",
			want{kind: KindDelivery, rcpt: "carl@victim2.test", qid: "7E813C2121"}},
		{"removed", "Nov 27 05:42:26 mx postfix/qmgr[2]: 7E813C211E: removed", want{kind: KindRemoved, qid: "7E813C211E"}},
		{"lost after DATA", "Nov 27 05:42:26 mx postfix/smtpd[9]: lost connection after DATA from unknown[192.0.2.9]", want{kind: KindData, ip: "192.0.2.9"}},
		{"lost after RCPT", "Nov 27 05:42:26 mx postfix/smtpd[9]: lost connection after RCPT from unknown[192.0.2.9]", want{kind: KindLost, ip: "192.0.2.9", session: "9"}},
		{"cleanup ignored", "Nov 27 05:42:26 mx postfix/cleanup[9]: 7E813C211E: message-id=<a@b>", want{}},
		{"rfc3339 stamp", "2025-09-21T17:46:18.311379+02:00 mx postfix/smtpd[7]: connect from unknown[192.0.2.7]", want{kind: KindConnect, ip: "192.0.2.7"}},
		{"rfc5424", "<22>1 2025-09-21T17:46:18+02:00 mx postfix/smtpd 7 - - connect from unknown[192.0.2.7]", want{kind: KindConnect, ip: "192.0.2.7", session: "7"}},
		{"journald short-iso", "2025-09-21T17:46:18+0200 mx postfix/smtpd[7]: connect from unknown[192.0.2.7]", want{kind: KindConnect, ip: "192.0.2.7"}},
	})
	stats := parseSMTPStats("ehlo=2 starttls=1 mail=2 rcpt=0/2 rset=1 quit=1 commands=7/9")
	if stats == nil || stats.Mail != 2 || stats.RcptOK != 0 || stats.RcptAll != 2 || stats.Data != 0 || stats.Rset != 1 || stats.Commands != 9 {
		t.Errorf("parseSMTPStats = %+v", stats)
	}
	if st := parseSMTPStats("ehlo=1 mail=1 rcpt=1 data=0/1 quit=1 commands=4/5"); st.Data != 1 {
		t.Errorf("data=0/1 must count as a DATA command, got %+v", st)
	}
}

func TestParseExim(t *testing.T) {
	runParseCases(t, FormatExim, []parseCase{
		{"postfix probe into exim", "2026-11-27 05:42:23 H=(mx.victim.test) [127.0.0.26] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no F=<double-bounce@victim.test> rejected RCPT <zqwerty@victim2.test>: Unknown user",
			want{kind: KindRcpt, ip: "127.0.0.26", helo: "mx.victim.test", sender: "double-bounce@victim.test", hasSender: true, rcpt: "zqwerty@victim2.test", rejected: true}},
		{"name and helo", "2006-11-19 08:26:41 H=mail.innsbrook-resort.com (Exchange2003.server2k) [66.140.223.30] F=<> rejected RCPT <plam@lists.infradead.org>: Unknown recipient",
			want{kind: KindRcpt, ip: "66.140.223.30", name: "mail.innsbrook-resort.com", helo: "Exchange2003.server2k", hasSender: true, rcpt: "plam@lists.infradead.org", rejected: true}},
		{"pid millisec zone port", "2026-11-27 06:00:00.123 +0100 [6001] H=mx.p.example [192.0.2.60]:41234 I=[127.0.0.26]:25 F=<> rejected RCPT <a@victim2.test>: Unknown user",
			want{kind: KindRcpt, session: "6001", ip: "192.0.2.60", helo: "mx.p.example", hasSender: true, rcpt: "a@victim2.test", rejected: true}},
		{"arrival", "2026-11-27 06:05:00 1vXyZa-000Abc-Qr <= <> H=bounce.example.org [198.51.100.40] P=esmtp S=2200",
			want{kind: KindMessage, ip: "198.51.100.40", name: "bounce.example.org", helo: "bounce.example.org", hasSender: true, qid: "1vXyZa-000Abc-Qr"}},
		{"delivery", "2026-11-27 06:05:00 1vXyZa-000Abc-Qr => eemioiyv@victim2.test R=local_user T=local_delivery",
			want{kind: KindDelivery, rcpt: "eemioiyv@victim2.test", qid: "1vXyZa-000Abc-Qr"}},
		{"no MAIL ends the connection", "2016-03-21 06:38:05 [5718] no MAIL in SMTP connection from www3005.sakura.ne.jp [49.212.207.15]:28890 I=[172.89.0.6]:25 D=21s C=EHLO,STARTTLS",
			want{kind: KindDisconnect, session: "5718", ip: "49.212.207.15", name: "www3005.sakura.ne.jp", helo: "www3005.sakura.ne.jp"}},
		{"smtp_connection open", "2026-11-27 06:28:30 SMTP connection from [127.0.0.26]:40112 I=[127.0.0.45]:25 (TCP/IP connection count = 1)",
			want{kind: KindConnect, ip: "127.0.0.26"}},
		{"closed by QUIT", "2026-11-27 06:28:30 SMTP connection from (mx.prober2.test) [127.0.0.26]:40112 I=[127.0.0.45]:25 D=0.052s closed by QUIT",
			want{kind: KindDisconnect, ip: "127.0.0.26", helo: "mx.prober2.test"}},
		{"address-literal HELO", "2026-11-27 06:28:30 SMTP connection from ([10.0.0.1]) [127.0.0.26]:40112 lost D=3s",
			want{kind: KindLost, ip: "127.0.0.26", helo: "[10.0.0.1]"}},
		{"command timeout", "2026-11-27 06:33:30 SMTP command timeout on TLS connection from (mx.prober2.test) [127.0.0.26] D=5m",
			want{kind: KindLost, ip: "127.0.0.26", helo: "mx.prober2.test"}},
		{"other SMTP connection line", "2026-11-27 06:33:30 SMTP connection from [127.0.0.26] refused: too many connections", want{}},
		{"incomplete transaction 4.96", "2026-11-27 06:28:41 H=(mx.prober2.test) [127.0.0.26] incomplete transaction (RSET) from <double-bounce@prober2.test> for erin@victim2.test",
			want{kind: KindNoData, ip: "127.0.0.26", helo: "mx.prober2.test", sender: "double-bounce@prober2.test", hasSender: true, rcpt: "erin@victim2.test"}},
		{"journald double stamp", "Nov 27 05:42:23 mx exim[812]: 2026-11-27 05:42:23 H=(mx.victim.test) [127.0.0.26] F=<> rejected RCPT <q@victim2.test>: Unknown user",
			want{kind: KindRcpt, session: "812", ip: "127.0.0.26", helo: "mx.victim.test", hasSender: true, rcpt: "q@victim2.test", rejected: true}},
	})
}

func TestParseSendmail(t *testing.T) {
	runParseCases(t, FormatSyslog, []parseCase{
		{"check_rcpt", "Feb 27 15:49:02 batman sm-mta[88377]: s1REn1un088377: ruleset=check_rcpt, arg1=<non-existing-user@example.com>, relay=189-30-205-74.paebv701.dsl.brasiltelecom.net.br [189.30.205.74], reject=550 5.1.1 <non-existing-user@example.com>... User unknown",
			want{kind: KindRcpt, session: "s1REn1un088377", ip: "189.30.205.74", name: "189-30-205-74.paebv701.dsl.brasiltelecom.net.br", rcpt: "non-existing-user@example.com", rejected: true}},
		{"from nrcpts=0", "Jun 17 14:37:39 robin sm-mta[2794]: 55HIbcGI002794: from=<root@yourhost.com>, size=108, class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=[192.168.1.45]",
			want{kind: KindMessage, ip: "192.168.1.45", sender: "root@yourhost.com", hasSender: true, qid: "55HIbcGI002794"}},
		{"user unknown", "Feb 27 16:00:00 batman sm-mta[88400]: s1RF001a088400: <ghost@example.com>... User unknown",
			want{kind: KindRcpt, rcpt: "ghost@example.com", rejected: true}},
		{"sendmail tag and ipv6", "Feb 27 16:00:01 b sendmail[1]: s1RF001a088401: from=<>, size=0, class=0, nrcpts=0, proto=SMTP, daemon=MTA-v6, relay=c.example [IPv6:2001:db8::5]",
			want{kind: KindMessage, ip: "2001:db8::5", hasSender: true}},
	})
}

func TestParseOpenSMTPD(t *testing.T) {
	runParseCases(t, FormatSyslog, []parseCase{
		{"connected", "Mar 08 20:48:40 webserver smtpd[88171]: 2cd79d8bacbe2c12 smtp connected address=192.0.2.33 host=mail.checker.example",
			want{kind: KindConnect, session: "2cd79d8bacbe2c12", ip: "192.0.2.33", name: "mail.checker.example"}},
		{"failed rcpt", "Mar 08 20:48:47 webserver smtpd[88171]: 2cd79d8bacbe2c12 smtp failed-command command=\"RCPT TO:<info@blunix.com> \" result=\"550 Invalid recipient: <info@blunix.com>\"",
			want{kind: KindRcpt, session: "2cd79d8bacbe2c12", rcpt: "info@blunix.com", rejected: true}},
		{"envelope", "Mar 08 20:48:47 w smtpd[1]: 2cd79d8bacbe2c12 smtp envelope evpid=aa from=<> to=<b@blunix.com>",
			want{kind: KindMessage, hasSender: true, rcpt: "b@blunix.com"}},
		{"disconnected", "Mar 08 20:48:48 webserver smtpd[88171]: 2cd79d8bacbe2c12 smtp disconnected reason=quit", want{kind: KindDisconnect}},
		{"old new session", "Aug 17 01:26:00 ix smtpd[22704]: smtp-in: New session 08d856b172f69c5c from host ix.example.com [127.0.0.1]",
			want{kind: KindConnect, session: "08d856b172f69c5c", ip: "127.0.0.1", name: "ix.example.com"}},
		{"old failed command", "Aug 14 10:15:25 junction.example.com smtpd[28882]: smtp-in: Failed command on session 1f55bdcdf16e28a3: \"MAIL FROM:<root@junction.example.com>  \" => 421 4.3.0: Temporary Error",
			want{kind: KindMail, session: "1f55bdcdf16e28a3", sender: "root@junction.example.com", hasSender: true, rejected: true}},
		{"old accepted", "Aug 17 01:26:02 ix smtpd[22704]: smtp-in: Accepted message 4296f490 on session 08d856b172f69c5c: from=<root@ix.example.com>, to=<ddp@ix.example.com>, size=1746, ndest=1, proto=ESMTP",
			want{kind: KindMessage, session: "08d856b172f69c5c", sender: "root@ix.example.com", hasSender: true, rcpt: "ddp@ix.example.com"}},
	})
}

func TestParseLineErrors(t *testing.T) {
	p := NewLineParser(FormatSyslog, time.UTC, time.Now(), "t.log")
	if _, err := p.Parse("not a log line"); !errors.Is(err, ErrMalformed) {
		t.Errorf("garbage: %v, want ErrMalformed", err)
	}
	if _, err := p.Parse("Nov 27 05:54:00 mx dovecot: imap-login: Login"); !errors.Is(err, ErrUnknownLine) {
		t.Errorf("other program: %v, want ErrUnknownLine", err)
	}
	if _, err := p.Parse("Nov 27 05:54:00 mx postfix/smtpd[1]: connect from broken"); !errors.Is(err, ErrMalformed) {
		t.Errorf("broken client: %v, want ErrMalformed", err)
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		sample      string
		mode, label Format
	}{
		{"GREY|1.2.3.4|h|<>|<a@b>|1|2|3|1|0\nWHITE|1.2.3.4|||1|2|3|1|1\n", FormatSpamdb, FormatSpamdb},
		{"2026-11-27 05:42:23 H=(x) [1.2.3.4] F=<> rejected RCPT <a@b>: no\n", FormatExim, FormatExim},
		{"Aug 19 14:35:27 d spamd[1]: 1.2.3.4: connected (1/0)\n", FormatSyslog, FormatSpamd},
		{"Aug 19 14:35:27 d postfix/smtpd[1]: connect from a[1.2.3.4]\nAug 19 14:35:27 d spamd[1]: 1.2.3.4: connected (1/0)\n", FormatSyslog, FormatSyslog},
		{"Aug 19 14:35:27 d sm-mta[1]: x\n", FormatSyslog, FormatSendmail},
		{"Aug 19 14:35:27 d smtpd[1]: x\n", FormatSyslog, FormatOpenSMTPD},
		{"", FormatSyslog, FormatSyslog},
	}
	for _, tt := range tests {
		mode, label := detectFormat([]byte(tt.sample), 64)
		if mode != tt.mode || label != tt.label {
			t.Errorf("detectFormat(%q) = %s/%s, want %s/%s", tt.sample, mode, label, tt.mode, tt.label)
		}
	}
}

func TestClassifierFingerprints(t *testing.T) {
	for _, tt := range []struct {
		addr string
		ok   bool
	}{
		{"double-bounce@victim.test", true}, {"double-bounce7q2kd@victim.test", true},
		{"Double-Bounce@victim.test", true}, {"double-bouncez@victim.test", false},
		{"double-bounce", false}, {"double-bounce-x@v.test", false},
	} {
		if got := isDoubleBounce(tt.addr); got != tt.ok {
			t.Errorf("isDoubleBounce(%q) = %v", tt.addr, got)
		}
	}
	host, epoch, ok := parseEximRandom("mx42.antispamcloud.com-1503146097-testing@bsdly.com")
	if !ok || host != "mx42.antispamcloud.com" || epoch != 1503146097 {
		t.Errorf("parseEximRandom = %q %d %v", host, epoch, ok)
	}
	for _, bad := range []string{"a-123-testing@x", "testing@x", "-1503146097-testing@x", "h-15031460x7-testing@x", "h-1503146097-test@x"} {
		if _, _, ok := parseEximRandom(bad); ok {
			t.Errorf("parseEximRandom(%q) accepted", bad)
		}
	}
}
