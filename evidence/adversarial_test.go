package evidence

import (
	"context"

	"sort"
	"strings"
	"testing"
	"time"
)

// Adversarial cases: sessions of hosts that did no callout (or did one
// for an innocent reason), written line for line in the shapes real
// Postfix 3.x, Exim 4.9x, Sendmail 8.x and spamd write (copied from the
// fixtures in testdata/mta and the reference on callouts), and a few real
// callouts that must still be found in unusual shapes (IPv6, ports). Each
// comment says what the host really did and so what the report must say.
// want is "prober:<rule>", "suspect:<why>" (not a prober; a suspect with
// that reason) or "none" (neither a prober nor a suspect).

type advCase struct {
	name     string
	log      string
	ip       string
	want     string
	networks []string
	zone     string    // --time-zone ("" = UTC)
	gap      string    // a known gap: the verdict is logged, the case skipped (see the reason)
	yearRef  time.Time // the files' mtime ("" = 2026-12-01)
}

// advVerdict scans c.log and says what the report holds for c.ip.
func advVerdict(t *testing.T, c advCase) string {
	t.Helper()
	o := scanOpts("-")
	o.Domains, o.OwnNetworks = []string{"victim.test"}, c.networks
	o.Stdin = strings.NewReader(c.log)
	if c.zone != "" {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		o.Zone = loc
	}
	if !c.yearRef.IsZero() {
		o.YearReference = c.yearRef
	}
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Malformed != 0 {
		t.Errorf("%d malformed lines: %+v", rep.Stats.Malformed, rep.Stats.Files[0].FirstBad)
	}
	if p := findProber(rep, c.ip); p != nil {
		return "prober:" + p.Rule
	}
	if s := findSuspect(rep, c.ip); s != nil {
		whys := make([]string, 0, len(s.NotAccused))
		for why := range s.NotAccused {
			whys = append(whys, why)
		}
		sort.Strings(whys)
		return "suspect:" + strings.Join(whys, ",")
	}
	return "none"
}

func TestAdversarial(t *testing.T) {
	for _, c := range advCases {
		t.Run(c.name, func(t *testing.T) {
			got := advVerdict(t, c)
			if c.gap != "" {
				t.Skipf("known gap (got %s, want %s): %s", got, c.want, c.gap)
			}
			ok := got == c.want
			if strings.HasPrefix(c.want, "suspect:") && strings.HasPrefix(got, "suspect:") {
				// The wanted reason among the session's reasons.
				ok = strings.Contains(","+got[len("suspect:"):]+",", ","+c.want[len("suspect:"):]+",")
			}
			if !ok {
				t.Errorf("%s: got %s, want %s", c.ip, got, c.want)
			}
		})
	}
}

// pfxAt is pfx with a date: "Dec 31", "Jan  1".
func pfxAt(day, at, rest string) string { return day + " " + at + " mx postfix/" + rest + "\n" }

// pfxReject is Postfix's NOQUEUE line for a null-sender RCPT refused as
// an unknown user (smtpd_check.c, local_recipient_maps).
func pfxReject(at, pid, client, rcpt, helo string) string {
	return pfx(at, "smtpd["+pid+"]: NOQUEUE: reject: RCPT from "+client+": 550 5.1.1 <"+rcpt+
		">: Recipient address rejected: User unknown in local recipient table; from=<> to=<"+rcpt+"> proto=ESMTP helo=<"+helo+">")
}

// pfxBounceDelivered is a null-sender message taken with DATA (a DSN).
func pfxBounceDelivered(at, pid, qid, client, rcpt string) string {
	return pfx(at, "smtpd["+pid+"]: connect from "+client) +
		pfx(at, "smtpd["+pid+"]: "+qid+": client="+client) +
		pfx(at, "cleanup[77]: "+qid+": message-id=<"+qid+"@bounce.example>") +
		pfx(at, "qmgr[9]: "+qid+": from=<>, size=3120, nrcpt=1 (queue active)") +
		pfx(at, "local[78]: "+qid+": to=<"+rcpt+">, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)") +
		pfx(at, "smtpd["+pid+"]: disconnect from "+client+" ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7")
}

// pfxRefusedBounce is a whole session: a null-sender RCPT refused as
// unknown, then QUIT (a callout, or a bounce to an address that is gone).
func pfxRefusedBounce(at, pid, client, rcpt, helo string) string {
	return pfx(at, "smtpd["+pid+"]: connect from "+client) +
		pfxReject(at, pid, client, rcpt, helo) +
		pfx(at, "smtpd["+pid+"]: disconnect from "+client+" ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6")
}

var advCases = []advCase{
	// A bouncer that delivered a DSN with DATA ten minutes BEFORE the
	// refused one: the same host, the same null sender. A callout never
	// delivers; a bouncer whose bounces we take with DATA is bouncing. The
	// order of the two sessions says nothing (exim-remote1.log: 127.0.4.35
	// interleaves delivered and refused backscatter bounces): the refused
	// one is as explained as when the delivery follows (WhyDelivered).
	{name: "bounce delivered before a refused bounce", ip: "198.51.100.20", want: "suspect:" + WhyDelivered,
		log: pfxBounceDelivered("05:00:00", "200", "7A1B2C3D4E", "mx.partner.example[198.51.100.20]", "alice@victim.test") +
			pfxRefusedBounce("05:10:00", "201", "mx.partner.example[198.51.100.20]", "gone@victim.test", "mx.partner.example")},

	// The same, the delivery after: already handled (the control case).
	{name: "bounce delivered after a refused bounce", ip: "198.51.100.21", want: "suspect:" + WhyDelivered,
		log: pfxRefusedBounce("05:00:00", "202", "mx.partner.example[198.51.100.21]", "gone@victim.test", "mx.partner.example") +
			pfxBounceDelivered("05:10:00", "203", "8A1B2C3D4E", "mx.partner.example[198.51.100.21]", "alice@victim.test")},

	// Year end: a refused bounce at 23:59:50 on 31 December and the same
	// host's delivered bounce at 00:00:20 on 1 January, RFC 3164 stamps
	// without a year, file mtime 2 January 2027. The delivery is 30 s
	// later, not a year earlier.
	{name: "refused bounce at year end, delivered after midnight", ip: "198.51.100.22", want: "suspect:" + WhyDelivered,
		yearRef: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC),
		log: pfxAt("Dec 31", "23:59:50", "smtpd[204]: connect from mx.partner.example[198.51.100.22]") +
			pfxAt("Dec 31", "23:59:50", "smtpd[204]: NOQUEUE: reject: RCPT from mx.partner.example[198.51.100.22]: 550 5.1.1 <gone@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<gone@victim.test> proto=ESMTP helo=<mx.partner.example>") +
			pfxAt("Dec 31", "23:59:50", "smtpd[204]: disconnect from mx.partner.example[198.51.100.22] ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6") +
			pfxAt("Jan  1", "00:00:20", "smtpd[205]: connect from mx.partner.example[198.51.100.22]") +
			pfxAt("Jan  1", "00:00:20", "smtpd[205]: 9A1B2C3D4E: client=mx.partner.example[198.51.100.22]") +
			pfxAt("Jan  1", "00:00:20", "qmgr[9]: 9A1B2C3D4E: from=<>, size=3120, nrcpt=1 (queue active)") +
			pfxAt("Jan  1", "00:00:20", "smtpd[205]: disconnect from mx.partner.example[198.51.100.22] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7")},

	// DST end in a local-time Exim mainlog (Europe/Berlin, 25 October
	// 2026: 03:00 CEST becomes 02:00 CET). The bounce refused at 02:50
	// CEST and the same host's bounce delivered at 02:10 CET, 20 minutes
	// later, written below it; the stamps alone read 40 minutes earlier.
	// Either way the host delivers bounces to us with DATA.
	{name: "refused bounce across the DST change (Exim local time)", ip: "198.51.100.23", want: "suspect:" + WhyDelivered, zone: "Europe/Berlin",
		yearRef: time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC),
		log: "2026-10-25 02:50:00 H=mx.partner.example [198.51.100.23] F=<> rejected RCPT <gone@victim.test>: Unknown user\n" +
			"2026-10-25 02:50:00 H=mx.partner.example [198.51.100.23] incomplete transaction (QUIT) from <>\n" +
			"2026-10-25 02:10:00 1xWpSS-0001aB-1L <= <> H=mx.partner.example [198.51.100.23] P=esmtps X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no S=3120 id=E1xWpSS-0001aB-1L@mx.partner.example\n"},

	// Our roaming user's mail program sends a read receipt (an MDN: RFC
	// 8098 section 3 asks for a null return path) through our submission
	// service to a colleague who has left; smtpd refuses the recipient and
	// the client quits. The client authenticated (auth=1) with our
	// credentials: it is our own user, wherever its address is.
	{name: "authenticated client's null-sender MDN to a departed user", ip: "203.0.113.50", want: "none",
		log: pfx("05:00:00", "submission/smtpd[300]: connect from unknown[203.0.113.50]") +
			pfx("05:00:01", "submission/smtpd[300]: NOQUEUE: reject: RCPT from unknown[203.0.113.50]: 550 5.1.1 <gone@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<gone@victim.test> proto=ESMTP helo=<[192.168.1.23]>") +
			pfx("05:00:01", "submission/smtpd[300]: disconnect from unknown[203.0.113.50] ehlo=2 starttls=1 auth=1 mail=1 rcpt=0/1 quit=1 commands=6/7")},

	// The same read receipt through an Exim submission port: Exim writes
	// the authenticator after the sender on the refused RCPT ("F=<>
	// A=plain_server:alice@…", smtp_in.c smtp_handle_acl). Our own user.
	{name: "authenticated client's null-sender MDN to a departed user (Exim A=)", ip: "203.0.113.51", want: "none",
		log: "2026-11-27 05:00:01 [4200] H=(laptop) [203.0.113.51] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no F=<> A=plain_server:alice@victim.test rejected RCPT <gone@victim.test>: Unknown user\n" +
			"2026-11-27 05:00:01 [4200] H=(laptop) [203.0.113.51] incomplete transaction (QUIT) from <>\n"},
	// Control: the same lines without A= are a plain null-sender callout.
	{name: "the same Exim lines without A=", ip: "203.0.113.52", want: "prober:" + RuleNullSender,
		log: "2026-11-27 05:00:01 [4201] H=(laptop) [203.0.113.52] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no F=<> rejected RCPT <gone@victim.test>: Unknown user\n" +
			"2026-11-27 05:00:01 [4201] H=(laptop) [203.0.113.52] incomplete transaction (QUIT) from <>\n"},
	// An A= elsewhere than right after F=<…> (here in a HELO a client
	// chose) says nothing.
	{name: "Exim: A= in a HELO is not an authentication", ip: "203.0.113.53", want: "prober:" + RuleNullSender,
		log: "2026-11-27 05:00:01 [4202] H=(x A=y) [203.0.113.53] F=<> rejected RCPT <gone@victim.test>: Unknown user\n" +
			"2026-11-27 05:00:01 [4202] H=(x A=y) [203.0.113.53] incomplete transaction (QUIT) from <>\n"},

	// Postfix reject_unknown_client_hostname answers 450 4.7.1 "Client
	// host rejected: cannot find your hostname": about the client.
	{name: "null sender refused for unknown client hostname", ip: "198.51.100.24", want: "suspect:" + WhyClientPolicy,
		log: pfx("05:00:00", "smtpd[301]: connect from unknown[198.51.100.24]") +
			pfx("05:00:01", "smtpd[301]: NOQUEUE: reject: RCPT from unknown[198.51.100.24]: 450 4.7.1 Client host rejected: cannot find your hostname, [198.51.100.24]; from=<> to=<alice@victim.test> proto=ESMTP helo=<mail.example.net>") +
			pfx("05:00:01", "smtpd[301]: disconnect from unknown[198.51.100.24] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},

	// A bounce to a departed user refused, RSET, then a second
	// transaction in the same session delivered with DATA: a client that
	// sends mail, not a verifier.
	{name: "refused bounce, RSET, second transaction with DATA", ip: "198.51.100.25", want: "none",
		log: pfx("05:00:00", "smtpd[302]: connect from mx.partner.example[198.51.100.25]") +
			pfxReject("05:00:01", "302", "mx.partner.example[198.51.100.25]", "gone@victim.test", "mx.partner.example") +
			pfx("05:00:02", "smtpd[302]: AA1B2C3D4E: client=mx.partner.example[198.51.100.25]") +
			pfx("05:00:02", "qmgr[9]: AA1B2C3D4E: from=<dan@partner.example>, size=2210, nrcpt=1 (queue active)") +
			pfx("05:00:02", "smtpd[302]: disconnect from mx.partner.example[198.51.100.25] ehlo=2 starttls=1 mail=2 rcpt=1/2 data=1 rset=1 quit=1 commands=9/10")},

	// A greylisted bounce whose retry comes from the next address of the
	// same outbound pool (same /24, same reverse-name domain) and is
	// delivered: the delivery explains the first attempt.
	{name: "greylisted bounce retried from another IP of the pool", ip: "198.51.100.26", want: "suspect:" + WhyDelivered,
		log: pfx("05:00:00", "smtpd[303]: connect from mx1.partner.example[198.51.100.26]") +
			pfx("05:00:01", "smtpd[303]: NOQUEUE: reject: RCPT from mx1.partner.example[198.51.100.26]: 450 4.2.0 <alice@victim.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/victim.test.html; from=<> to=<alice@victim.test> proto=ESMTP helo=<mx1.partner.example>") +
			pfx("05:00:01", "smtpd[303]: disconnect from mx1.partner.example[198.51.100.26] ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6") +
			pfxBounceDelivered("05:06:00", "304", "BA1B2C3D4E", "mx2.partner.example[198.51.100.27]", "alice@victim.test")},

	// A mailing list's VERP probe (Mailman's bounce processing) to a
	// member who has left: the sender is the list's bounce address, not a
	// callout sender. Not looked at.
	{name: "mailing list VERP probe to a departed member", ip: "198.51.100.28", want: "none",
		log: pfx("05:00:00", "smtpd[305]: connect from mail.lists.example[198.51.100.28]") +
			pfx("05:00:01", "smtpd[305]: NOQUEUE: reject: RCPT from mail.lists.example[198.51.100.28]: 550 5.1.1 <gone@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<devel-bounces+gone=victim.test@lists.example> to=<gone@victim.test> proto=ESMTP helo=<mail.lists.example>") +
			pfx("05:00:01", "smtpd[305]: disconnect from mail.lists.example[198.51.100.28] ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6")},

	// spamd greylisting a real MTA's bounce: the GREY tuple is all spamd
	// logs, and a bounce leaves the same line as a callout.
	{name: "spamd GREY tuple of a bounce", ip: "198.51.100.29", want: "suspect:" + WhyTemporary,
		log: "Nov 27 05:00:00 gw spamd[26915]: 198.51.100.29: connected (1/0)\n" +
			"Nov 27 05:00:11 gw spamd[26915]: (GREY) 198.51.100.29: <> -> <alice@victim.test>\n" +
			"Nov 27 05:00:11 gw spamd[15291]: new entry 198.51.100.29 from <> to <alice@victim.test>, helo mx.partner.example\n" +
			"Nov 27 05:00:11 gw spamd[26915]: 198.51.100.29: disconnected after 11 seconds.\n"},

	// Our own Exchange's NDR over IPv6, logged by Sendmail with the
	// "IPv6:" literal: the address is inside --network.
	{name: "own IPv6 host's NDR through Sendmail", ip: "2001:db8:1::30", want: "none", networks: []string{"2001:db8:1::/48"},
		log: "Nov 27 05:00:01 mx sm-mta[88377]: 5ARN01un088377: ruleset=check_rcpt, arg1=<gone@victim.test>, relay=exch.victim.test [IPv6:2001:db8:1::30], reject=550 5.1.1 <gone@victim.test>... User unknown\n" +
			"Nov 27 05:00:01 mx sm-mta[88377]: 5ARN01un088377: from=<>, size=0, class=0, nrcpts=1, proto=ESMTP, daemon=MTA-v6, relay=exch.victim.test [IPv6:2001:db8:1::30]\n"},

	// Our user alice mails bob@partner.example; the partner's Exim runs
	// verify = sender/callout=random and, while our Exim is delivering
	// (between alice's "<=" and our "=>" to its MX), probes our MX: the
	// random part (refused), RSET, alice@ (accepted), QUIT. A real
	// callout, caused by our own mail: nothing to report to the partner's
	// abuse desk. A suspect (own-mail-verified), not a prober.
	{name: "partner verifies our user's sender while we deliver to it", ip: "198.51.100.40", want: "suspect:" + WhyOwnMail,
		log: ownMailLog("198.51.100.40", "05:00:00", "05:00:01")},

	// Our user alice (client.victim.test, inside --network) mails
	// bob@partner2.example; the partner's Postfix (reject_unverified_sender)
	// verifies alice@ while our Exim delivers: double-bounce@ sender,
	// alice@ accepted, RSET (exim-victim.log's shapes). Innocent in intent:
	// a suspect (own-mail-verified).
	{name: "partner's Postfix verifies our user's sender while we deliver", ip: "198.51.100.80", want: "suspect:" + WhyOwnMail, networks: []string{"10.0.0.0/8"},
		log: "2026-11-27 06:29:20 1xWpSS-0001aB-1L <= alice@victim.test H=(client.victim.test) [10.0.0.60] P=esmtp S=483 id=20261127062920.006084@vm\n" +
			"2026-11-27 06:29:21 H=(mx.partner2.example) [198.51.100.80] incomplete transaction (RSET) from <double-bounce@partner2.example> for alice@victim.test\n" +
			"2026-11-27 06:29:21 1xWpSS-0001aB-1L => bob@partner2.example R=dnslookup T=remote_smtp H=mx.partner2.example [198.51.100.80] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=yes C=\"250 2.0.0 Ok: queued as 4104E3D\"\n" +
			"2026-11-27 06:29:21 1xWpSS-0001aB-1L Completed\n"},

	// The same partner verification, when our MX is Postfix and the
	// partner's Exim uses callout=random: Postfix logs the random part
	// (refused) but not the accepted alice@ ("client=" only). Our smtp
	// client's line a second later (relay=mx.partner3.example[the
	// prober's address], status=sent) for alice's message (qmgr from=<alice@>,
	// submitted from --network) says we were delivering her mail to that
	// host: the partner verified her sender (ruleOwnMailRelayed).
	{name: "partner's Exim random callout of our user, Postfix receiver", ip: "198.51.100.81", want: "suspect:" + WhyOwnMail, networks: []string{"10.0.0.0/8"},
		log: relayLog("06:29:20", "198.51.100.81", "mx.partner3.example", "06:29:21", "mx.partner3.example[198.51.100.81]", "mx.partner3.example", "06:29:22")},
	// Controls. The same random callout two hours after our delivery to
	// that host: no mail of ours in flight, a prober.
	{name: "random callout of our user 2 h after our delivery to the host", ip: "198.51.100.110", want: "prober:" + RuleEximRandom, networks: []string{"10.0.0.0/8"},
		log: relayLog("04:29:20", "198.51.100.110", "mx.partner3.example", "06:29:21", "mx.partner3.example[198.51.100.110]", "mx.partner3.example", "04:29:22")},
	// alice's mail in flight, delivered to another host: a prober.
	{name: "random callout from a host we did not deliver to", ip: "198.51.100.111", want: "prober:" + RuleEximRandom, networks: []string{"10.0.0.0/8"},
		log: relayLog("06:29:20", "198.51.100.200", "mx.partner4.example", "06:29:21", "mx.other.example[198.51.100.111]", "mx.other.example", "06:29:22")},
	// Another node of the relay's /24 with the same HELO domain verifies
	// (an MX pool): the delivery explains it.
	{name: "random callout from another node of the relay's pool", ip: "198.51.100.113", want: "suspect:" + WhyOwnMail, networks: []string{"10.0.0.0/8"},
		log: relayLog("06:29:20", "198.51.100.112", "mx1.partner5.example", "06:29:21", "mx2.partner5.example[198.51.100.113]", "mx2.partner5.example", "06:29:22")},
	// A forged use of alice@ from outside (a bot through our MX, not our
	// mail), then the random callout; no delivery of ours to that host:
	// a prober.
	{name: "random callout after a forged use, no delivery of ours", ip: "198.51.100.114", want: "prober:" + RuleEximRandom, networks: []string{"10.0.0.0/8"},
		log: pfx("06:29:20", "smtpd[410]: connect from unknown[203.0.113.99]") +
			pfx("06:29:20", "smtpd[410]: 5B2B2C3D4E: client=unknown[203.0.113.99]") +
			pfx("06:29:20", "qmgr[9]: 5B2B2C3D4E: from=<alice@victim.test>, size=483, nrcpt=1 (queue active)") +
			pfx("06:29:20", "smtpd[410]: disconnect from unknown[203.0.113.99] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5") +
			pfx("06:29:20", "local[411]: 5B2B2C3D4E: to=<bob@victim.test>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)") +
			randomCallout("06:29:21", "mx.partner3.example[198.51.100.114]", "mx.partner3.example")},
	// The same forged use, and the bot's message relayed on to the
	// prober's host by our MX would still not be our mail: the sender
	// came from outside.
	{name: "random callout after a forged use relayed to the prober's host", ip: "198.51.100.115", want: "prober:" + RuleEximRandom, networks: []string{"10.0.0.0/8"},
		log: strings.ReplaceAll(relayLog("06:29:20", "198.51.100.115", "mx.partner3.example", "06:29:21", "mx.partner3.example[198.51.100.115]", "mx.partner3.example", "06:29:22"),
			"client.victim.test[10.0.0.60]", "unknown[203.0.113.99]")},
	// Our delivery read before the callout (stamped a second earlier, as
	// a second host's log merged in time order): the same suspect.
	{name: "our delivery logged before the partner's random callout", ip: "198.51.100.116", want: "suspect:" + WhyOwnMail, networks: []string{"10.0.0.0/8"},
		log: relayLog("06:29:20", "198.51.100.116", "mx.partner3.example", "06:29:21", "mx.partner3.example[198.51.100.116]", "mx.partner3.example", "06:29:20")},

	// A forwarder: dan's old address at fwd.example forwards to
	// alice@victim.test, and fwd.example's Postfix runs
	// reject_unverified_recipient, which verifies the forward target
	// through our MX (double-bounce@ sender, alice@ accepted, RSET) and
	// then forwards the message with DATA from the same host. A recipient
	// verification caused by mail TO the forwarder, not by forged use of
	// our domain.
	{name: "forwarder verifies the forward target, then delivers to it", ip: "198.51.100.82", want: "suspect:" + WhyForwarded,
		log: "2026-11-27 06:30:00 H=mx.fwd.example [198.51.100.82] incomplete transaction (RSET) from <double-bounce@fwd.example> for alice@victim.test\n" +
			"2026-11-27 06:30:01 1xWpSU-0001aD-1L <= dan@elsewhere.example H=mx.fwd.example [198.51.100.82] P=esmtps X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no S=2210 id=20261127063000.1234@elsewhere.example\n" +
			"2026-11-27 06:30:01 1xWpSU-0001aD-1L => alice <alice@victim.test> R=local_users T=local_delivery\n" +
			"2026-11-27 06:30:01 1xWpSU-0001aD-1L Completed\n"},

	// Controls: the same verification with no delivery after, and with a
	// delivery to another address, still convict.
	{name: "verification with no delivery after", ip: "198.51.100.83", want: "prober:" + RulePostfixVerify,
		log: "2026-11-27 06:30:00 H=mx.fwd.example [198.51.100.83] incomplete transaction (RSET) from <double-bounce@fwd.example> for alice@victim.test\n"},
	{name: "verification, then a delivery to another address", ip: "198.51.100.84", want: "prober:" + RulePostfixVerify,
		log: "2026-11-27 06:30:00 H=mx.fwd.example [198.51.100.84] incomplete transaction (RSET) from <double-bounce@fwd.example> for alice@victim.test\n" +
			"2026-11-27 06:30:01 1xWpSV-0001aE-1L <= dan@elsewhere.example H=mx.fwd.example [198.51.100.84] P=esmtps S=2210 id=20261127063000.1235@elsewhere.example\n" +
			"2026-11-27 06:30:01 1xWpSV-0001aE-1L => bob <bob@victim.test> R=local_users T=local_delivery\n" +
			"2026-11-27 06:30:01 1xWpSV-0001aE-1L Completed\n"},
	// A random-part callout of an existing address, then a delivery to it
	// from the same host 20 minutes later: too late to be the verified
	// message; a prober.
	{name: "random callout, delivery to the address 20 minutes later", ip: "198.51.100.85", want: "prober:" + RuleEximRandom,
		log: "2026-11-27 06:30:00 [4102] H=mx.other.example [198.51.100.85] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no F=<> rejected RCPT <mx.other.example-1795761000-testing@victim.test>: Unrouteable address\n" +
			"2026-11-27 06:30:00 [4102] H=mx.other.example [198.51.100.85] incomplete transaction (RSET) from <>\n" +
			"2026-11-27 06:30:00 [4102] H=mx.other.example [198.51.100.85] incomplete transaction (QUIT) from <> for alice@victim.test\n" +
			"2026-11-27 06:50:01 [4110] 1xWpSW-0001aF-1L <= dan@other.example H=mx.other.example [198.51.100.85] P=esmtps S=2210 id=20261127065000.1236@other.example\n" +
			"2026-11-27 06:50:01 [4111] 1xWpSW-0001aF-1L => alice <alice@victim.test> R=local_users T=local_delivery\n"},

	// The same callout of alice@ two hours after her last message: no
	// mail of ours explains it (forged spam did): a prober.
	{name: "callout of our user's address long after her last message", ip: "198.51.100.41", want: "prober:" + RuleEximRandom,
		log: ownMailLog("198.51.100.41", "03:00:00", "05:00:01")},

	// alice's message came from OUTSIDE the own networks (a forger using
	// her address through our MX as a relay would be refused; here it is
	// a forged use accepted for a local recipient): it is not our mail,
	// and a callout of alice@ right after it is evidence, not explained.
	{name: "callout right after a forged use of our user's address", ip: "198.51.100.42", want: "prober:" + RuleEximRandom,
		log: "2026-11-27 05:00:00 [4100] 1xWpTT-0002aB-1L <= alice@victim.test H=(pc9.bot.example) [203.0.113.99] P=esmtp S=812 id=20261127050000.004100@pc9\n" +
			eximOwnMailCallout("198.51.100.42", "05:00:01")},

	// A refused DSN from one node of a partner's pool and a delivered DSN
	// from the next node (same /24, same HELO domain) minutes later,
	// Postfix: the qmgr line of the delivery names no HELO.
	{name: "refused DSN and delivered DSN from two nodes of one /24", ip: "198.51.100.48", want: "suspect:" + WhyDelivered,
		log: pfxRefusedBounce("05:00:00", "319", "mx1.partner.example[198.51.100.48]", "gone@victim.test", "mx1.partner.example") +
			pfxBounceDelivered("05:06:00", "320", "0B1B2C3D4E", "mx2.partner.example[198.51.100.49]", "alice@victim.test")},

	// Two strangers at one hoster, one /24, generic reverse names of one
	// domain: A's null-sender attempt is greylisted; minutes later B's
	// session has a recipient accepted and quits without DATA (Postfix
	// logs neither B's sender nor its HELO). The reverse-name family is
	// not a client family for ruleGreylistedCallout: B is not convicted
	// for A's attempt.
	{name: "hoster's generic names do not pair strangers into a greylisted callout", ip: "198.51.100.61", want: "suspect:" + WhySenderUnknown,
		log: pfx("05:00:00", "smtpd[321]: connect from host60.static.hoster.example[198.51.100.60]") +
			pfx("05:00:01", "smtpd[321]: NOQUEUE: reject: RCPT from host60.static.hoster.example[198.51.100.60]: 450 4.2.0 <alice@victim.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/victim.test.html; from=<> to=<alice@victim.test> proto=ESMTP helo=<mail.a-corp.example>") +
			pfx("05:00:01", "smtpd[321]: disconnect from host60.static.hoster.example[198.51.100.60] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4") +
			pfx("05:07:00", "smtpd[322]: connect from host61.static.hoster.example[198.51.100.61]") +
			pfx("05:07:01", "smtpd[322]: 1C1B2C3D4E: client=host61.static.hoster.example[198.51.100.61]") +
			pfx("05:07:01", "smtpd[322]: disconnect from host61.static.hoster.example[198.51.100.61] ehlo=1 mail=1 rcpt=1 quit=1 commands=4")},

	// A partner's bounce to alice is greylisted (450) and delivered on
	// retry 6 minutes later; 14 minutes after that the partner's Exim
	// verifies alice@ for a message alice sent it (a plain callout:
	// accepted, QUIT; Postfix logs "client=" and no sender). The
	// greylisted attempt was the bounce, already delivered: it is no
	// greylisted callout asked again, and the later session is a
	// sender-unknown suspect.
	{name: "greylisted bounce delivered, later an accepted session without DATA", ip: "198.51.100.86", want: "suspect:" + WhySenderUnknown,
		log: pfx("05:00:00", "smtpd[330]: connect from mx.partner.example[198.51.100.86]") +
			pfx("05:00:01", "smtpd[330]: NOQUEUE: reject: RCPT from mx.partner.example[198.51.100.86]: 450 4.2.0 <alice@victim.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/victim.test.html; from=<> to=<alice@victim.test> proto=ESMTP helo=<mx.partner.example>") +
			pfx("05:00:01", "smtpd[330]: disconnect from mx.partner.example[198.51.100.86] ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6") +
			pfxBounceDelivered("05:06:00", "331", "4B1B2C3D4E", "mx.partner.example[198.51.100.86]", "alice@victim.test") +
			pfx("05:20:00", "smtpd[332]: connect from mx.partner.example[198.51.100.86]") +
			pfx("05:20:01", "smtpd[332]: 5B1B2C3D4E: client=mx.partner.example[198.51.100.86]") +
			pfx("05:20:01", "smtpd[332]: disconnect from mx.partner.example[198.51.100.86] ehlo=2 starttls=1 mail=1 rcpt=1 quit=1 commands=6")},

	// The same three sessions with the partner's verification between the
	// greylisted bounce and its delivered retry: the delivery explains the
	// pair as the bounce's.
	{name: "greylisted bounce, accepted session without DATA, then the bounce delivered", ip: "198.51.100.88", want: "suspect:" + WhyDelivered,
		log: pfx("05:00:00", "smtpd[335]: connect from mx.partner.example[198.51.100.88]") +
			pfx("05:00:01", "smtpd[335]: NOQUEUE: reject: RCPT from mx.partner.example[198.51.100.88]: 450 4.2.0 <alice@victim.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/victim.test.html; from=<> to=<alice@victim.test> proto=ESMTP helo=<mx.partner.example>") +
			pfx("05:00:01", "smtpd[335]: disconnect from mx.partner.example[198.51.100.88] ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6") +
			pfx("05:03:00", "smtpd[336]: connect from mx.partner.example[198.51.100.88]") +
			pfx("05:03:01", "smtpd[336]: 7B1B2C3D4E: client=mx.partner.example[198.51.100.88]") +
			pfx("05:03:01", "smtpd[336]: disconnect from mx.partner.example[198.51.100.88] ehlo=2 starttls=1 mail=1 rcpt=1 quit=1 commands=6") +
			pfxBounceDelivered("05:06:00", "337", "8B1B2C3D4E", "mx.partner.example[198.51.100.88]", "alice@victim.test")},

	// The same with smtpd_client_port_logging = yes ("name[ip]:port"):
	// the delivered DSN before the refused one still explains it.
	{name: "port logging: DSN delivered before a refused DSN", ip: "198.51.100.87", want: "suspect:" + WhyDelivered,
		log: pfxBounceDelivered("05:00:00", "333", "6B1B2C3D4E", "mx.partner.example[198.51.100.87]:41234", "alice@victim.test") +
			pfxRefusedBounce("05:10:00", "334", "mx.partner.example[198.51.100.87]:52345", "gone@victim.test", "mx.partner.example")},

	// Microsoft 365's outbound pool: a DSN delivered with DATA from one
	// node, and a DSN to a departed user refused from another node in
	// another /24 (the pools span /16s). Their reverse names, confirmed by
	// Postfix (it logs "unknown" otherwise), share
	// outbound.protection.outlook.com: one service, one bouncer. The
	// delivery explains the refused DSN through the /16 and that domain
	// (a "wide" family, which explains but never pairs two attempts into
	// a conviction).
	{name: "Microsoft 365 pool: delivered DSN and refused DSN from two /24s", ip: "40.107.20.100", want: "suspect:" + WhyDelivered,
		log: pfxBounceDelivered("05:00:00", "310", "DA1B2C3D4E", "mail-am6eur05on2101.outbound.protection.outlook.com[40.107.22.101]", "alice@victim.test") +
			pfxRefusedBounce("05:10:00", "311", "mail-db8eur05on2100.outbound.protection.outlook.com[40.107.20.100]", "gone@victim.test", "EUR05-DB8-obe.outbound.protection.outlook.com")},

	// A DSN with two pipelined recipients, both departed users: a
	// bounce to several addresses, more than a callout asks per session.
	// Postfix counts the pipelined DATA ("data=0/1"): DATA was sent, so
	// it is a message, not a verification, and not looked at.
	{name: "pipelined DSN to two departed users", ip: "198.51.100.43", want: "none",
		log: pfx("05:00:00", "smtpd[312]: connect from mx.partner.example[198.51.100.43]") +
			pfxReject("05:00:01", "312", "mx.partner.example[198.51.100.43]", "gone@victim.test", "mx.partner.example") +
			pfxReject("05:00:01", "312", "mx.partner.example[198.51.100.43]", "left@victim.test", "mx.partner.example") +
			pfx("05:00:01", "smtpd[312]: disconnect from mx.partner.example[198.51.100.43] ehlo=2 starttls=1 mail=1 rcpt=0/2 data=0/1 quit=1 commands=5/8")},

	// The same DSN pipelined, but a client that pipelines DATA after its
	// RCPTs ("data=0/1": DATA was sent and refused, no valid recipients):
	// a message, not a verification, even with one recipient.
	{name: "pipelined DSN to one departed user, DATA refused", ip: "198.51.100.44", want: "none",
		log: pfx("05:00:00", "smtpd[313]: connect from mx.partner.example[198.51.100.44]") +
			pfxReject("05:00:01", "313", "mx.partner.example[198.51.100.44]", "gone@victim.test", "mx.partner.example") +
			pfx("05:00:01", "smtpd[313]: disconnect from mx.partner.example[198.51.100.44] ehlo=2 starttls=1 mail=1 rcpt=0/1 data=0/1 quit=1 commands=5/7")},

	// A greylisted bounce retried after the greylisting delay from the
	// same client, delivered with BDAT (Exim uses CHUNKING): the first
	// attempt already sent BDAT ("bdat=0/1", as exim-partner's bounce did
	// in postfix-innocent.log), the second is delivered: mail, not looked at.
	{name: "greylisted bounce delivered with BDAT on retry", ip: "198.51.100.45", want: "none",
		log: pfx("05:00:00", "smtpd[314]: connect from mx.partner.example[198.51.100.45]") +
			pfx("05:00:01", "smtpd[314]: NOQUEUE: reject: RCPT from mx.partner.example[198.51.100.45]: 450 4.7.1 <mx.partner.example[198.51.100.45]>: Client host rejected: Greylisted, try again later; from=<> to=<alice@victim.test> proto=ESMTP helo=<mx.partner.example>") +
			pfx("05:00:01", "smtpd[314]: disconnect from mx.partner.example[198.51.100.45] ehlo=2 starttls=1 mail=1 rcpt=0/1 bdat=0/1 quit=1 commands=5/7") +
			pfx("05:05:30", "smtpd[315]: connect from mx.partner.example[198.51.100.45]") +
			pfx("05:05:30", "smtpd[315]: EA1B2C3D4E: client=mx.partner.example[198.51.100.45]") +
			pfx("05:05:30", "qmgr[9]: EA1B2C3D4E: from=<>, size=3120, nrcpt=1 (queue active)") +
			pfx("05:05:30", "smtpd[315]: disconnect from mx.partner.example[198.51.100.45] ehlo=2 starttls=1 mail=1 rcpt=1 bdat=1 quit=1 commands=6")},

	// An old Exchange or Domino server sending its non-delivery report
	// with MAIL FROM:<postmaster@its-domain> to a departed user, refused,
	// QUIT: the postmaster rule's shape. Like the plain null-sender case,
	// the lines cannot tell it from smf-sav's postmaster retry; it
	// convicts at 0.8 unless a delivery of the same sender explains it.
	{name: "postmaster-sender NDR to a departed user", ip: "198.51.100.46", want: "prober:" + RulePostmaster,
		log: pfx("05:00:00", "smtpd[316]: connect from exch.partner.example[198.51.100.46]") +
			pfx("05:00:01", "smtpd[316]: NOQUEUE: reject: RCPT from exch.partner.example[198.51.100.46]: 550 5.1.1 <gone@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<postmaster@partner.example> to=<gone@victim.test> proto=ESMTP helo=<exch.partner.example>") +
			pfx("05:00:01", "smtpd[316]: disconnect from exch.partner.example[198.51.100.46] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},
	{name: "postmaster-sender NDR refused, its other NDR delivered before", ip: "198.51.100.47", want: "suspect:" + WhyDelivered,
		log: pfx("04:50:00", "smtpd[317]: connect from exch.partner.example[198.51.100.47]") +
			pfx("04:50:00", "smtpd[317]: FA1B2C3D4E: client=exch.partner.example[198.51.100.47]") +
			pfx("04:50:00", "qmgr[9]: FA1B2C3D4E: from=<postmaster@partner.example>, size=3120, nrcpt=1 (queue active)") +
			pfx("04:50:00", "smtpd[317]: disconnect from exch.partner.example[198.51.100.47] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5") +
			pfx("05:00:00", "smtpd[318]: connect from exch.partner.example[198.51.100.47]") +
			pfx("05:00:01", "smtpd[318]: NOQUEUE: reject: RCPT from exch.partner.example[198.51.100.47]: 550 5.1.1 <gone@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<postmaster@partner.example> to=<gone@victim.test> proto=ESMTP helo=<exch.partner.example>") +
			pfx("05:00:01", "smtpd[318]: disconnect from exch.partner.example[198.51.100.47] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")},

	// Sendmail listening on an IPv6 socket logs IPv4 clients as mapped
	// addresses ("[IPv6:::ffff:10.0.0.30]"): our own Exchange's NDR to a
	// departed user, --network 10.0.0.0/8. It is our host.
	{name: "own host's NDR logged as an IPv4-mapped IPv6 address", ip: "10.0.0.30", want: "none", networks: []string{"10.0.0.0/8"},
		log: "Nov 27 05:00:01 mx sm-mta[88379]: 5ARN01un088379: ruleset=check_rcpt, arg1=<gone@victim.test>, relay=exch.victim.test [IPv6:::ffff:10.0.0.30], reject=550 5.1.1 <gone@victim.test>... User unknown\n" +
			"Nov 27 05:00:01 mx sm-mta[88379]: 5ARN01un088379: from=<>, size=0, class=0, nrcpts=1, proto=ESMTP, daemon=MTA-v6, relay=exch.victim.test [IPv6:::ffff:10.0.0.30]\n"},

	// The same mapped form from a stranger's callout (Exim random part):
	// a prober, named by its IPv4 address (the one its abuse contact is
	// found by), not "::ffff:198.51.100.71".
	{name: "stranger's callout logged as an IPv4-mapped address", ip: "198.51.100.71", want: "prober:" + RuleEximRandom,
		log: "Nov 27 05:00:01 mx sm-mta[88382]: 5ARN01un088382: ruleset=check_rcpt, arg1=<mx.v4.example-1795760883-testing@victim.test>, relay=mx.v4.example [IPv6:::ffff:198.51.100.71], reject=550 5.1.1 <mx.v4.example-1795760883-testing@victim.test>... User unknown\n" +
			"Nov 27 05:00:02 mx sm-mta[88382]: 5ARN01un088382: from=<>, size=0, class=0, nrcpts=1, proto=ESMTP, daemon=MTA-v6, relay=mx.v4.example [IPv6:::ffff:198.51.100.71]\n"},

	// Sendmail: a partner's DSN delivered (nrcpts=1 with a body), then
	// its DSN to a departed user refused (size=0: no DATA), QUIT.
	{name: "Sendmail: delivered DSN, then a refused DSN from the same host", ip: "198.51.100.70", want: "suspect:" + WhyDelivered,
		log: "Nov 27 05:00:00 mx sm-mta[88380]: 5ARN00un088380: from=<>, size=3120, class=0, nrcpts=1, msgid=<20261127045959.1A2B3C@mx.partner.example>, proto=ESMTP, daemon=MTA-v4, relay=mx.partner.example [198.51.100.70]\n" +
			"Nov 27 05:10:01 mx sm-mta[88381]: 5ARNA1un088381: ruleset=check_rcpt, arg1=<gone@victim.test>, relay=mx.partner.example [198.51.100.70], reject=550 5.1.1 <gone@victim.test>... User unknown\n" +
			"Nov 27 05:10:01 mx sm-mta[88381]: 5ARNA1un088381: from=<>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=mx.partner.example [198.51.100.70]\n"},

	// Carol sent mail to dave@partner.example on 25 November from our
	// network and left; her mailbox was removed. The partner's MTA could
	// not deliver her message and, two days later, returns the DSN to her
	// address (MAIL FROM:<>), which is refused; QUIT, no retry (5xx). The
	// lines are a plain callout's, but the address sent mail two days ago
	// and does not exist now: the DSN of that mail. A suspect.
	{name: "DSN of a departed user's last message", ip: "198.51.100.90", want: "suspect:" + WhyOwnMailReturned, networks: []string{"10.0.0.0/8"},
		log: departedLog("198.51.100.90") + pfxRefusedBounce("05:00:00", "341", "mx.partner.example[198.51.100.90]", "carol@victim.test", "mx.partner.example")},

	// The same departed address asked by an Exim random-part callout: the
	// fingerprint convicts whatever the address did before.
	{name: "random callout of a departed user's address", ip: "198.51.100.91", want: "prober:" + RuleEximRandom, networks: []string{"10.0.0.0/8"},
		log: departedLog("198.51.100.91") +
			pfx("05:00:00", "smtpd[342]: connect from mx.other.example[198.51.100.91]") +
			pfx("05:00:00", "smtpd[342]: NOQUEUE: reject: RCPT from mx.other.example[198.51.100.91]: 550 5.1.1 <mx.other.example-1795755600-testing@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<mx.other.example-1795755600-testing@victim.test> proto=ESMTP helo=<mx.other.example>") +
			pfxReject("05:00:00", "342", "mx.other.example[198.51.100.91]", "carol@victim.test", "mx.other.example") +
			pfx("05:00:00", "smtpd[342]: disconnect from mx.other.example[198.51.100.91] ehlo=2 starttls=1 mail=2 rcpt=0/2 rset=1 quit=1 commands=7/9")},

	// carol@'s message was six days before: past any queue lifetime, so
	// nothing explains the null-sender attempt: a prober at 0.8.
	{name: "null-sender attempt to an address whose last mail is six days old", ip: "198.51.100.92", want: "prober:" + RuleNullSender, networks: []string{"10.0.0.0/8"},
		log: strings.ReplaceAll(departedLog("198.51.100.92"), "Nov 25", "Nov 21") + pfxRefusedBounce("05:00:00", "343", "mx.partner.example[198.51.100.92]", "carol@victim.test", "mx.partner.example")},

	// OpenSMTPD logs a refused RCPT without the session's sender: a DSN
	// to a departed user and a plain callout read alike, and the sender
	// is unknown: never a prober on this alone.
	{name: "OpenSMTPD: refused RCPT, sender not logged", ip: "198.51.100.96", want: "suspect:" + WhySenderUnknown,
		log: "Nov 27 05:00:00 mx smtpd[88171]: 2cd79d8bacbe2c12 smtp connected address=198.51.100.96 host=mx.partner.example\n" +
			"Nov 27 05:00:01 mx smtpd[88171]: 2cd79d8bacbe2c12 smtp failed-command command=\"RCPT TO:<gone@victim.test> \" result=\"550 Invalid recipient: <gone@victim.test>\"\n" +
			"Nov 27 05:00:01 mx smtpd[88171]: 2cd79d8bacbe2c12 smtp disconnected reason=quit\n"},
	// The Exim random part convicts there too.
	{name: "OpenSMTPD: random-part callout", ip: "198.51.100.97", want: "prober:" + RuleEximRandom,
		log: "Nov 27 05:00:00 mx smtpd[88171]: 3cd79d8bacbe2c12 smtp connected address=198.51.100.97 host=mx42.other.example\n" +
			"Nov 27 05:00:01 mx smtpd[88171]: 3cd79d8bacbe2c12 smtp failed-command command=\"RCPT TO:<mx42.other.example-1795755601-testing@victim.test> \" result=\"550 Invalid recipient: <mx42.other.example-1795755601-testing@victim.test>\"\n" +
			"Nov 27 05:00:01 mx smtpd[88171]: 3cd79d8bacbe2c12 smtp disconnected reason=quit\n"},

	// Alice, travelling, submits through our MX with SMTP AUTH from a
	// hotel network (outside --network); the partner's Exim verifies
	// alice@ while we deliver. Her authenticated message is our mail.
	{name: "partner verifies a roaming user's sender (Exim, A=)", ip: "198.51.100.98", want: "suspect:" + WhyOwnMail, networks: []string{"10.0.0.0/8"},
		log: "2026-11-27 05:00:00 [4100] 1xWpTT-0002aB-1L <= alice@victim.test H=(laptop) [203.0.113.5] P=esmtpa A=plain_server:alice@victim.test S=812 id=20261127050000.004100@laptop\n" +
			eximOwnMailCallout("198.51.100.98", "05:00:01")},

	// Carol, roaming, sent her last message through submission with SASL
	// (Postfix "client=…, sasl_method=PLAIN, sasl_username=…", the shape
	// of postfix-sasl.log) two days before her address was removed; the
	// DSN comes back refused.
	{name: "DSN of a roaming departed user's last message (Postfix SASL)", ip: "198.51.100.99", want: "suspect:" + WhyOwnMailReturned, networks: []string{"10.0.0.0/8"},
		log: pfxAt("Nov 25", "09:00:00", "submission/smtpd[345]: connect from unknown[203.0.113.6]") +
			pfxAt("Nov 25", "09:00:00", "submission/smtpd[345]: AC1B2C3D4E: client=unknown[203.0.113.6], sasl_method=PLAIN, sasl_username=carol@victim.test") +
			pfxAt("Nov 25", "09:00:00", "qmgr[9]: AC1B2C3D4E: from=<carol@victim.test>, size=812, nrcpt=1 (queue active)") +
			pfxAt("Nov 25", "09:00:00", "submission/smtpd[345]: disconnect from unknown[203.0.113.6] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8") +
			pfxRefusedBounce("05:00:00", "346", "mx.partner.example[198.51.100.99]", "carol@victim.test", "mx.partner.example")},
	// Control: the same message without SASL, from that outside address,
	// is a forged use of carol@, not our mail: the DSN convicts.
	{name: "DSN after an unauthenticated outside use of the address", ip: "198.51.100.100", want: "prober:" + RuleNullSender, networks: []string{"10.0.0.0/8"},
		log: pfxAt("Nov 25", "09:00:00", "smtpd[347]: connect from unknown[203.0.113.7]") +
			pfxAt("Nov 25", "09:00:00", "smtpd[347]: BC1B2C3D4E: client=unknown[203.0.113.7]") +
			pfxAt("Nov 25", "09:00:00", "qmgr[9]: BC1B2C3D4E: from=<carol@victim.test>, size=812, nrcpt=1 (queue active)") +
			pfxAt("Nov 25", "09:00:00", "smtpd[347]: disconnect from unknown[203.0.113.7] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7") +
			pfxRefusedBounce("05:00:00", "348", "mx.partner.example[198.51.100.100]", "carol@victim.test", "mx.partner.example")},

	// Real callouts over IPv6 must still be found.
	{name: "Exim random callout over IPv6 into Postfix with port logging", ip: "2001:db8::25", want: "prober:" + RuleEximRandom,
		log: pfx("05:00:00", "smtpd[306]: connect from mx42.prober6.example[2001:db8::25]:41234") +
			pfx("05:00:01", "smtpd[306]: NOQUEUE: reject: RCPT from mx42.prober6.example[2001:db8::25]:41234: 550 5.1.1 <mx42.prober6.example-1795758136-testing@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<mx42.prober6.example-1795758136-testing@victim.test> proto=ESMTP helo=<mx42.prober6.example>") +
			pfx("05:00:01", "smtpd[306]: NOQUEUE: reject: RCPT from mx42.prober6.example[2001:db8::25]:41234: 550 5.1.1 <keerheior@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<keerheior@victim.test> proto=ESMTP helo=<mx42.prober6.example>") +
			pfx("05:00:01", "smtpd[306]: disconnect from mx42.prober6.example[2001:db8::25]:41234 ehlo=2 starttls=1 mail=2 rcpt=0/2 rset=1 quit=1 commands=7/9")},
	{name: "Postfix verification over IPv6 into Exim", ip: "2001:db8::26", want: "prober:" + RulePostfixVerify,
		log: "2026-11-27 05:42:23 H=(mx.prober2.example) [2001:db8::26] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no F=<double-bounce@prober2.example> rejected RCPT <zqwerty@victim.test>: Unknown user\n"},
	{name: "Exim random callout over IPv6 into Sendmail", ip: "2001:db8::27", want: "prober:" + RuleEximRandom,
		log: "Nov 27 05:00:01 mx sm-mta[88378]: 5ARN01un088378: ruleset=check_rcpt, arg1=<mx.v6.example-1795760883-testing@victim.test>, relay=mx.v6.example [IPv6:2001:db8::27], reject=550 5.1.1 <mx.v6.example-1795760883-testing@victim.test>... User unknown\n" +
			"Nov 27 05:00:02 mx sm-mta[88378]: 5ARN01un088378: from=<>, size=0, class=0, nrcpts=1, proto=ESMTP, daemon=MTA-v6, relay=mx.v6.example [IPv6:2001:db8::27]\n"},

	// A plain callout (MAIL FROM:<>, one unknown address, QUIT) and a
	// bounce to an address that no longer exists write the same lines,
	// and no later delivery tells them apart: s1-exim-prober4 in the
	// manifest is such a callout and must be found. The rule convicts at
	// 0.8 and the probe's reason says what was seen; see the report for
	// the case where our own mail explains the bounce.
	{name: "single null-sender RCPT refused as unknown, QUIT", ip: "198.51.100.30", want: "prober:" + RuleNullSender,
		log: pfxRefusedBounce("05:00:00", "307", "mx.partner.example[198.51.100.30]", "gone@victim.test", "mx.partner.example")},

	// The same host also delivered ordinary mail (a named sender, DATA)
	// the same hour. Probers deliver mail too (exim-remote1.log:
	// 127.0.4.45 made real callouts and delivered carl's and dora's
	// mail), so ordinary mail explains nothing.
	{name: "refused null sender from a host that also delivers ordinary mail", ip: "198.51.100.31", want: "prober:" + RuleNullSender,
		log: pfxRefusedBounce("05:00:00", "308", "mx.partner.example[198.51.100.31]", "gone@victim.test", "mx.partner.example") +
			pfx("05:20:00", "smtpd[309]: connect from mx.partner.example[198.51.100.31]") +
			pfx("05:20:00", "smtpd[309]: CA1B2C3D4E: client=mx.partner.example[198.51.100.31]") +
			pfx("05:20:00", "qmgr[9]: CA1B2C3D4E: from=<dan@partner.example>, size=2210, nrcpt=1 (queue active)") +
			pfx("05:20:00", "smtpd[309]: disconnect from mx.partner.example[198.51.100.31] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7")},
}

// ownMailLog is an Exim mainlog (+pid +smtp_incomplete_transaction, the
// shapes of exim-pid.log and exim-outbound.log): alice's local
// submission at sentAt, the partner's random callout of alice@ at probeAt
// from ip, then our delivery to that MX.
func ownMailLog(ip, sentAt, probeAt string) string {
	return "2026-11-27 " + sentAt + " [4100] 1xWpTT-0002aB-1L <= alice@victim.test U=alice P=local S=812 id=20261127050000.004100@mx.victim.test\n" +
		eximOwnMailCallout(ip, probeAt) +
		"2026-11-27 " + probeAt + " [4101] 1xWpTT-0002aB-1L => bob@partner.example R=dnslookup T=remote_smtp H=mx.partner.example [" + ip + "] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=yes C=\"250 OK id=1xWpTU-0003cD-2M\"\n" +
		"2026-11-27 " + probeAt + " [4101] 1xWpTT-0002aB-1L Completed\n"
}

// eximOwnMailCallout is an Exim callout=random of alice@victim.test from
// ip at "05:00:01" (epoch 1795755601).
func eximOwnMailCallout(ip, at string) string {
	h := "2026-11-27 " + at + " [4102] H=mx.partner.example [" + ip + "] "
	return h + "X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no F=<> rejected RCPT <mx.partner.example-1795755601-testing@victim.test>: Unrouteable address\n" +
		h + "incomplete transaction (RSET) from <>\n" +
		h + "incomplete transaction (QUIT) from <> for alice@victim.test\n"
}

// departedLog is carol@victim.test's last message, submitted from our
// network on 25 November and deferred by the partner (Postfix smtpd,
// qmgr, smtp: the shapes of postfix-innocent.log).
func departedLog(partnerIP string) string {
	at := func(t, rest string) string { return pfxAt("Nov 25", t, rest) }
	return at("09:00:00", "smtpd[340]: connect from client.victim.test[10.0.0.61]") +
		at("09:00:00", "smtpd[340]: 9C1B2C3D4E: client=client.victim.test[10.0.0.61]") +
		at("09:00:00", "cleanup[77]: 9C1B2C3D4E: message-id=<20261125090000.1@client.victim.test>") +
		at("09:00:00", "qmgr[9]: 9C1B2C3D4E: from=<carol@victim.test>, size=812, nrcpt=1 (queue active)") +
		at("09:00:00", "smtpd[340]: disconnect from client.victim.test[10.0.0.61] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5") +
		at("09:00:01", "smtp[344]: 9C1B2C3D4E: to=<dave@partner.example>, relay=mx.partner.example["+partnerIP+"]:25, delay=0.5, delays=0.01/0.01/0.2/0.3, dsn=4.2.0, status=deferred (host mx.partner.example["+partnerIP+"] said: 450 4.2.0 Mailbox temporarily unavailable (in reply to RCPT TO command))")
}

// relayLog is our Postfix MX's log (the shapes of postfix-*.log): alice's
// message submitted from client.victim.test (--network 10.0.0.0/8) at
// sentAt, a random callout of victim.test from client (HELO helo) at
// probeAt, and our smtp client's delivery of alice's message to
// relayName[relayIP] at deliveredAt, in time order.
func relayLog(sentAt, relayIP, relayName, probeAt, client, helo, deliveredAt string) string {
	sub := pfx(sentAt, "smtpd[400]: connect from client.victim.test[10.0.0.60]") +
		pfx(sentAt, "smtpd[400]: 2B1B2C3D4E: client=client.victim.test[10.0.0.60]") +
		pfx(sentAt, "qmgr[9]: 2B1B2C3D4E: from=<alice@victim.test>, size=483, nrcpt=1 (queue active)") +
		pfx(sentAt, "smtpd[400]: disconnect from client.victim.test[10.0.0.60] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")
	probe := randomCallout(probeAt, client, helo)
	delivery := pfx(deliveredAt, "smtp[402]: 2B1B2C3D4E: to=<bob@partner.example>, relay="+relayName+"["+relayIP+"]:25, delay=2.1, delays=0.01/0.01/0.05/2, dsn=2.0.0, status=sent (250 OK id=1xWpST-0001aC-2M)") +
		pfx(deliveredAt, "qmgr[9]: 2B1B2C3D4E: removed")
	if deliveredAt < probeAt {
		return sub + delivery + probe
	}
	return sub + probe + delivery
}

// randomCallout is an Exim callout=random into Postfix: the random part
// refused, RSET, the real address accepted ("client=" only), QUIT.
func randomCallout(at, client, helo string) string {
	r := helo + "-1795760961-testing@victim.test"
	return pfx(at, "smtpd[401]: connect from "+client) +
		pfx(at, "smtpd[401]: NOQUEUE: reject: RCPT from "+client+": 550 5.1.1 <"+r+">: Recipient address rejected: User unknown in local recipient table; from=<> to=<"+r+"> proto=ESMTP helo=<"+helo+">") +
		pfx(at, "smtpd[401]: 3B1B2C3D4E: client="+client) +
		pfx(at, "smtpd[401]: disconnect from "+client+" ehlo=2 starttls=1 mail=2 rcpt=1/2 rset=1 quit=1 commands=8/9")
}
