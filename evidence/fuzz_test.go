package evidence

import (
	"context"
	"strings"
	"testing"
	"time"
)

// fuzzLines parses line as f and checks the invariants every parser keeps:
// no panic, and every event carries the line it came from.
func fuzzLines(t *testing.T, f Format, line string) {
	p := NewLineParser(f, time.UTC, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), "fuzz")
	evs, err := p.Parse(line)
	if err != nil && len(evs) != 0 {
		t.Fatalf("events and an error for %q", line)
	}
	for _, ev := range evs {
		if ev.Raw != line || ev.Line != 1 {
			t.Fatalf("event lost its line: %+v", ev)
		}
		if ev.Kind == KindNone {
			t.Fatalf("event without a kind from %q", line)
		}
	}
}

// fuzzFormat fuzzes the line parser of format, seeded with seeds.
func fuzzFormat(f *testing.F, format Format, seeds ...string) {
	addSeeds(f, seeds...)
	f.Fuzz(func(t *testing.T, line string) { fuzzLines(t, format, line) })
}

func addSeeds(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
}

func FuzzSpamd(f *testing.F) {
	fuzzFormat(f, FormatSpamd,
		"Aug 19 14:35:27 delilah spamd[26915]: 207.244.64.181: connected (25/24)",
		"Aug 19 14:35:38 delilah spamd[26915]: (GREY) 207.244.64.181: <> -> <mx42.antispamcloud.com-1503146097-testing@bsdly.com>",
		"Aug 19 14:35:38 delilah spamd[15291]: new entry 207.244.64.181 from <> to <a@b>, helo mx18-12.smtp.antispamcloud.com",
		"Oct  2 20:00:05 delilah spamd[26905]: 65.210.185.131: disconnected after 404 seconds. lists: spews1",
		"Aug 19 14:35:27 <mail.info> delilah spamd[1]: Trapping 1.2.3.4 for tuple 1.2.3.4 h <a> <b>")
}

func FuzzSpamdb(f *testing.F) {
	fuzzFormat(f, FormatSpamdb,
		"GREY|207.244.64.181|mx18-12.smtp.antispamcloud.com|<>|<a@bsdly.com>|1503146138|1503146438|1503160538|1|0",
		"GREY|203.0.113.9|<bounce@example.org>|<nosuch@bsdly.com>|1144932538|1144934045|1148291113|1|0",
		"WHITE|83.221.139.201|||1144932538|1144934045|1148291113|2|2", "TRAPPED|1.2.3.4|1", "SPAMTRAP|<a@b>")
}

func FuzzPostfix(f *testing.F) {
	fuzzFormat(f, FormatPostfix, append(strings.Split(strings.TrimSpace(probeLines), "\n"),
		"Nov 27 05:42:16 mx postfix/smtpd[5]: 4104E3D: client=h.example[61.238.241.86]",
		"Nov 27 05:42:16 mx postfix/qmgr[2]: 0F5383D: from=<a@b>, size=5360, nrcpt=1 (queue active)",
		"Nov 27 05:42:26 mx postfix/smtp[2]: 7E813C211E: to=<h@v>, relay=x, status=sent (ok)",
		"Dec 06 05:26:04 mx postfix/smtp[5203]: BA8CF9860B5: to=<rita@remote1.test>, relay=127.0.5.45[127.0.5.45]:25, delay=0.24, delays=0.01/0.01/0/0.21, dsn=2.0.0, status=sent (250 OK id=1xa4lA-0001Lw-2X)",
		"Nov 27 05:42:26 mx postfix/smtp[2]: 7E813C2120: to=<b@p>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.p[198.51.100.81]:25: Connection timed out)",
		"Nov 27 05:42:26 mx postfix/smtp[2]: 7E813C2120: to=<b@p>, orig_to=<relay=a[1.2.3.4]@x>, relay=mx.p[2001:db8::1]:25, status=sent (ok)",
		"<22>1 2025-09-21T17:46:18+02:00 mx postfix/smtpd 7 - [a b=\"c\\\"]\"] connect from unknown[192.0.2.7]")...)
}

func FuzzExim(f *testing.F) {
	fuzzFormat(f, FormatExim,
		"2026-11-27 05:42:23 H=(mx.victim.test) [127.0.0.26] F=<double-bounce@victim.test> rejected RCPT <z@v>: Unknown user",
		"2006-11-19 08:26:41 H=mail.x (Exchange) [66.140.223.30] F=<> rejected RCPT <p@l>: Unknown recipient",
		"2026-11-27 05:00:01 [4200] H=(laptop) [203.0.113.51] CV=no F=<> A=plain_server:alice@victim.test rejected RCPT <gone@victim.test>: Unknown user",
		"2026-11-27 05:00:01 H=(x A=y) [203.0.113.53] F=<a>b> A= rejected RCPT <g@v>: x",
		"2026-11-27 06:00:00.123 +0100 [6001] H=m [192.0.2.60]:41234 F=<> rejected RCPT <a@b>: no",
		"2026-11-27 06:05:00 1vXyZa-000Abc-Qr <= <> H=b [198.51.100.40] P=esmtp S=2200",
		"2026-11-27 06:10:00 incomplete transaction (QUIT) from H=(m) [192.0.2.61] F=<> for a@b c@d",
		"Nov 27 05:42:23 mx exim[812]: 2026-11-27 05:42:23 H=(m) [127.0.0.26] F=<> rejected RCPT <q@v>: x",
		"2026-11-27 06:28:30 SMTP connection from ([10.0.0.1]) [127.0.0.26]:40112 I=[127.0.0.45]:25 D=1s closed by QUIT",
		"2026-11-27 06:28:29 SMTP connection from [127.0.0.26]:40112 I=[127.0.0.45]:25 (TCP/IP connection count = 1)",
		"2016-03-21 06:38:05 [5718] no MAIL in SMTP connection from w.example [49.212.207.15]:28890 I=[172.89.0.6]:25 D=21s C=EHLO",
		"2026-11-27 05:00:00 [5718] rejected EHLO from [192.0.2.1]: syntactically invalid argument(s): _",
		"2026-11-27 05:00:02 H=[192.0.2.4] rejected connection in \"connect\" ACL: listed")
}

func FuzzSendmail(f *testing.F) {
	fuzzFormat(f, FormatSendmail,
		"Feb 27 15:49:02 batman sm-mta[88377]: s1REn1un088377: ruleset=check_rcpt, arg1=<n@example.com>, relay=h [189.30.205.74], reject=550 5.1.1 <n@example.com>... User unknown",
		"Jun 17 14:37:39 robin sm-mta[2794]: 55HIbcGI002794: from=<root@yourhost.com>, size=108, class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=[192.168.1.45]",
		"Feb 27 16:00:00 batman sm-mta[88400]: s1RF001a088400: <ghost@example.com>... User unknown",
		"Feb 27 15:49:33 batman sm-mta[88377]: s1REn1un088377: lost input channel from c.example [198.51.100.9] to MTA-v4 after rcpt",
		"Feb 27 16:10:31 batman sm-mta[88390]: s1RFA0ab088390: timeout waiting for input from o.example during server cmd read",
		"Feb 27 16:00:00 batman sm-mta[88401]: NOQUEUE: ruleset=check_relay, arg1=[192.0.2.5], relay=[192.0.2.5], reject=550 5.7.1 listed")
}

func FuzzOpenSMTPD(f *testing.F) {
	fuzzFormat(f, FormatOpenSMTPD,
		"Mar 08 20:48:40 w smtpd[1]: 2cd79d8bacbe2c12 smtp connected address=192.0.2.33 host=m",
		"Mar 08 20:48:47 w smtpd[1]: 2cd79d8bacbe2c12 smtp failed-command command=\"RCPT TO:<info@blunix.com> \" result=\"550 x\"",
		"Aug 17 01:26:02 ix smtpd[2]: smtp-in: Accepted message 4296f490 on session 08d856b172f69c5c: from=<a@b>, to=<c@d>, size=1",
		"Aug 14 10:15:25 j smtpd[2]: smtp-in: Failed command on session 1f55bdcdf16e28a3: \"MAIL FROM:<r@j>  \" => 421 x",
		"Mar 08 20:48:47 w smtpd[1]: 2cd79d8bacbe2c12 smtp tls ciphers=TLSv1.3:TLS_AES_256_GCM_SHA384:256",
		"Mar 08 20:48:48 w smtpd[1]: 2cd79d8bacbe2c12 smtp failed-command command=\"VRFY root\" result=\"502 5.5.1 no\"")
}

func FuzzSyslog(f *testing.F) {
	fuzzFormat(f, FormatSyslog, "Aug 19 14:35:27 <mail.info> delilah spamd[26915]: x", "<38>1 2019-07-08T17:40:16.954167-04:00 host app pid - - msg",
		"2025-09-21T17:46:18+0200 mx t[1]: x", "Jan  1 00:41:00 mx kernel: [1.2] x")
}

func FuzzTimestamp(f *testing.F) {
	addSeeds(f, "Aug 19 14:35:27 x", "Nov  6 09:51:20.5 x", "<38>1 2019-07-08T17:40:16.954167-04:00 h",
		"2025-09-21T17:46:18+0200 x", "2026-11-27 05:42:23.123 +0100 x", "2025-09-21T17:46:18Z")
	f.Fuzz(func(t *testing.T, line string) {
		got, rest, err := ParseTimestamp(line, time.UTC, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return
		}
		if !strings.HasSuffix(line, rest) || got.IsZero() {
			t.Fatalf("ParseTimestamp(%q) = %v, rest %q", line, got, rest)
		}
	})
}

// FuzzScan runs whole inputs through the pipeline, sniffing included.
func FuzzScan(f *testing.F) {
	addSeeds(f, probeLines, relayLog("06:29:20", "198.51.100.81", "mx.partner3.example", "06:29:21", "mx.partner3.example[198.51.100.81]", "mx.partner3.example", "06:29:22"),
		"GREY|1.2.3.4|h|<>|<a@b>|1|2|3|1|0\n", "2026-11-27 05:42:23 H=(m) [1.2.3.4] F=<> rejected RCPT <a@v>: x\n",
		"2026-11-27 05:42:23 H=(m) [1.2.3.4] incomplete transaction (RSET) from <s@victim.test> for a@v b@v\n2026-11-27 05:42:23 H=(m) [1.2.3.4] F=<s@victim.test> rejected RCPT <c@victim.test>: x\n")
	f.Fuzz(func(t *testing.T, data string) {
		o := scanOpts("-")
		o.Stdin = strings.NewReader(data)
		o.MaxLineBytes = 1024
		o.OwnNetworks = []string{"10.0.0.0/8"} // own mail: the own-mail rules run too
		rep, err := Scan(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Count(data, "\n"); rep.Stats.Lines < want {
			t.Fatalf("counted %d lines, input has at least %d", rep.Stats.Lines, want)
		}
	})
}

// FuzzPostscreen covers postscreen's lines, milter-reject and the
// smtpd_client_port_logging client form.
func FuzzPostscreen(f *testing.F) {
	fuzzFormat(f, FormatPostfix,
		"Nov 27 05:00:00 mx postfix/postscreen[200]: CONNECT from [192.0.2.50]:41000 to [192.0.2.1]:25",
		"Nov 27 05:00:06 mx postfix/postscreen[200]: PASS NEW [192.0.2.50]:41000",
		"Nov 27 05:00:06 mx postfix/postscreen[200]: NOQUEUE: reject: RCPT from [192.0.2.50]:41000: 550 5.7.1 Service unavailable; client [192.0.2.50] blocked using zen.spamhaus.org; from=<>, to=<a@victim.test>, proto=ESMTP, helo=<h>",
		"Nov 27 05:00:07 mx postfix/postscreen[200]: DISCONNECT [2001:db8::1]:41000",
		"Nov 27 05:00:01 mx postfix/smtpd[201]: NOQUEUE: milter-reject: RCPT from mx.v6.example[192.0.2.52]:5: 550 5.1.1 No such user; from=<x@y> to=<bob@victim.test> proto=ESMTP helo=<mx>",
		"Nov 27 05:00:01 mx postfix/smtpd[202]: connect from mx.v7.example[192.0.2.53]:52811",
		"Nov 27 05:00:01 mx postfix/smtpd[202]: lost connection after RCPT from mx.v7.example[192.0.2.53]:52811")
}

// FuzzNameAddr checks that the port form reads as the plain one.
func FuzzNameAddr(f *testing.F) {
	addSeeds(f, "name[192.0.2.1]", "[192.0.2.1]:25", "x[2001:db8::1]:65535", "a[b]:", "]:1")
	f.Fuzz(func(t *testing.T, s string) {
		n1, ip1, ok1 := nameAddr(s)
		if ok1 && (strings.ContainsAny(ip1, "[]") || strings.Contains(n1, "[")) {
			t.Fatalf("%q: name %q ip %q", s, n1, ip1)
		}
		if ok1 {
			n2, ip2, ok2 := nameAddr(s + ":25")
			if !strings.Contains(s, "]:") && (!ok2 || n2 != n1 || ip2 != ip1) {
				t.Fatalf("%q with a port: %q %q %v", s, n2, ip2, ok2)
			}
		}
	})
}
