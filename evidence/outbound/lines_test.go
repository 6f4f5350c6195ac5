package outbound

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Lines in the exact shapes Postfix 3.7 and Exim 4.96 write (the local
// agent's "unknown user", bounce's "sender non-delivery notification",
// smtpd's sasl_username=, Exim's A= and "<= <> R=" bounce arrivals),
// with documentation addresses.
const backscatterPostfix = `Nov 20 14:00:01 mx postfix/smtpd[100]: 1A2B3C4D5E: client=unknown[198.51.100.201]
Nov 20 14:00:01 mx postfix/cleanup[101]: 1A2B3C4D5E: message-id=<20261120140001.1@spam.example>
Nov 20 14:00:01 mx postfix/qmgr[102]: 1A2B3C4D5E: from=<keerheior@example.net>, size=900, nrcpt=1 (queue active)
Nov 20 14:00:01 mx postfix/local[103]: 1A2B3C4D5E: to=<nobody@example.com>, relay=local, delay=0.1, delays=0.05/0/0/0.05, dsn=5.1.1, status=bounced (unknown user: "nobody")
Nov 20 14:00:01 mx postfix/cleanup[101]: 6F7A8B9C0D: message-id=<20261120140001.6F7A8B9C0D@mx.example.com>
Nov 20 14:00:01 mx postfix/bounce[104]: 1A2B3C4D5E: sender non-delivery notification: 6F7A8B9C0D
Nov 20 14:00:01 mx postfix/qmgr[102]: 6F7A8B9C0D: from=<>, size=2900, nrcpt=1 (queue active)
Nov 20 14:00:02 mx postfix/smtp[105]: 6F7A8B9C0D: to=<keerheior@example.net>, relay=mx.example.net[192.0.2.80]:25, delay=0.4, delays=0/0/0.2/0.2, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.80] said: 550 5.1.1 <keerheior@example.net>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))
Nov 20 14:00:02 mx postfix/qmgr[102]: 1A2B3C4D5E: removed
Nov 21 09:00:00 mx postfix/smtpd[200]: 3C4D5E6F7A: client=ws10.example.com[203.0.113.10], sasl_method=PLAIN, sasl_username=carol
Nov 21 09:00:00 mx postfix/qmgr[102]: 3C4D5E6F7A: from=<carol@example.com>, size=1200, nrcpt=2 (queue active)
Nov 21 09:00:01 mx postfix/smtp[105]: 3C4D5E6F7A: to=<a@example.org>, relay=mx.example.org[192.0.2.90]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4ABC)
Nov 21 09:00:01 mx postfix/smtp[105]: 3C4D5E6F7A: to=<b@example.org>, relay=mx.example.org[192.0.2.90]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=4.7.1, status=deferred (host mx.example.org[192.0.2.90] said: 450 4.7.1 Try again later (in reply to RCPT TO command))
Nov 21 09:00:02 mx postfix/pickup[300]: 5E6F7A8B9C: uid=1000 from=<dave>
Nov 21 09:00:02 mx postfix/qmgr[102]: 5E6F7A8B9C: from=<dave@example.com>, size=400, nrcpt=1 (queue active)
Nov 21 09:00:03 mx postfix/smtp[105]: 5E6F7A8B9C: to=<c@example.org>, orig_to=<c>, relay=mx.example.org[192.0.2.90]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 ok)
Nov 21 09:10:00 mx postfix/smtpd[200]: 6A7B8C9D0E: client=mail.friend.example[192.0.2.7]
Nov 21 09:10:00 mx postfix/qmgr[102]: 6A7B8C9D0E: from=<dan@friend.example>, size=1500, nrcpt=1 (queue active)
Nov 21 09:10:00 mx postfix/lmtp[400]: 6A7B8C9D0E: to=<carol@example.com>, relay=mail.example.com[private/dovecot-lmtp], delay=0.1, delays=0.05/0/0/0.05, dsn=2.0.0, status=sent (250 2.0.0 <carol@example.com> Saved)
`

const eximOutbound = `2026-11-20 10:00:00 1xWpRL-00019O-0U <= carol@example.com H=(ws10) [203.0.113.10] P=esmtpsa X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=no A=dovecot_plain:carol S=1234 id=20261120100000.1@ws10
2026-11-20 10:00:01 1xWpRL-00019O-0U => bob@example.net R=dnslookup T=remote_smtp H=mx.example.net [192.0.2.80] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=yes C="250 2.0.0 Ok: queued as 12345"
2026-11-20 10:00:01 1xWpRL-00019O-0U ** nobody@example.net R=dnslookup T=remote_smtp H=mx.example.net [192.0.2.80]: SMTP error from remote mail server after RCPT TO:<nobody@example.net>: 550 5.1.1 User unknown
2026-11-20 10:00:01 1xWpRM-0001A0-2B <= <> R=1xWpRL-00019O-0U U=Debian-exim P=local S=2345
2026-11-20 10:00:01 1xWpRL-00019O-0U Completed
2026-11-20 10:00:02 1xWpRM-0001A0-2B => carol <carol@example.com> R=local_user T=mail_spool
2026-11-20 10:00:02 1xWpRM-0001A0-2B Completed
2026-11-20 10:05:00 H=(pc1.example) [198.51.100.7] sender verify defer for <x@example.org>: Could not complete sender verify callout
`

func writeLog(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPostfixBackscatterAndSASL(t *testing.T) {
	rep := scanFiles(t, writeLog(t, "maillog", backscatterPostfix))
	b := rep.Bounces
	if b.Generated != 1 || b.Remote.Count != 1 || b.Remote.Rejected != 1 || strings.Join(b.Recipients, ",") != "keerheior@example.net" {
		t.Errorf("bounces = %+v", b)
	}
	if rep.Local.Count != 2 || rep.Local.Rejected != 1 {
		t.Errorf("local = %+v, want the unknown-user bounce and the LMTP delivery to Dovecot", rep.Local)
	}
	if len(rep.Senders) != 2 {
		t.Fatalf("senders = %+v", rep.Senders)
	}
	carol, dave := rep.Senders[0], rep.Senders[1]
	if carol.Sender != "carol" || !carol.Auth || carol.Messages != 1 || carol.Remote.Count != 2 || carol.Remote.Deferred != 1 || carol.Recipients != 2 {
		t.Errorf("carol = %+v", carol)
	}
	if dave.Sender != "dave@example.com" || dave.Auth || !dave.Local || dave.Messages != 1 || len(dave.Days) != 1 || dave.Days[0] != (Day{"2026-11-21", 1}) {
		t.Errorf("dave = %+v", dave)
	}
	if rep.Callouts.Count != 0 {
		t.Errorf("callouts = %d", rep.Callouts.Count)
	}
}

func TestEximOutbound(t *testing.T) {
	rep := scanFiles(t, writeLog(t, "mainlog", eximOutbound))
	if len(rep.Senders) != 1 || rep.Senders[0].Sender != "carol" || !rep.Senders[0].Auth || rep.Senders[0].Remote.Count != 2 || rep.Senders[0].Remote.Rejected != 1 {
		t.Errorf("senders = %+v", rep.Senders)
	}
	if rep.Bounces.Generated != 1 || rep.Bounces.Remote.Count != 0 {
		t.Errorf("bounces = %+v (the bounce went to a local mailbox)", rep.Bounces)
	}
	if rep.Callouts.Count != 1 || rep.Callouts.Deferred != 1 {
		t.Errorf("callouts = %+v", rep.Callouts)
	}
}

func TestWindowAndMalformed(t *testing.T) {
	body := backscatterPostfix + "Nov 21 09:00:04 mx postfix/smtp[105]: 5E6F7A8B9C: to=<c@example.org>, status=sent\nnot a log line, to=<x@example.org>\nnot a log line and nothing outbound\n"
	p := writeLog(t, "maillog", body)
	rep, err := Scan(context.Background(), Options{Files: []string{p}, YearReference: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Since: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Malformed != 2 || rep.Bounces.Generated != 0 || rep.Skipped == 0 {
		t.Errorf("malformed %d (want 2: no relay=, no stamp), bounces %d, skipped %d", rep.Malformed, rep.Bounces.Generated, rep.Skipped)
	}
}

// A message that left the queue is forgotten: the table holds the queue,
// not the whole log.
func TestRemovedMessagesAreForgotten(t *testing.T) {
	a := newAggregator(time.UTC)
	var fs FileStats
	a.read(context.Background(), strings.NewReader(backscatterPostfix), "maillog", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Options{Zone: time.UTC, MaxLineBytes: 1 << 16}, &fs)
	if _, ok := a.msgs["mx|1A2B3C4D5E"]; ok {
		t.Error("1A2B3C4D5E was removed from the queue but is still remembered")
	}
	if _, ok := a.msgs["mx|6F7A8B9C0D"]; !ok {
		t.Error("the bounce 6F7A8B9C0D has no removed line yet is forgotten")
	}
}

// Mail from an outside client that did not authenticate, delivered to
// another host, is what an open relay sends; forwarded mail (orig_to=)
// and the users' own mail (inside the own networks) are not.
const relayPostfix = `Nov 21 10:00:00 mx postfix/smtpd[500]: 7A8B9C0D1E: client=unknown[198.51.100.9]
Nov 21 10:00:00 mx postfix/qmgr[102]: 7A8B9C0D1E: from=<win@lottery.example>, size=900, nrcpt=1 (queue active)
Nov 21 10:00:01 mx postfix/smtp[105]: 7A8B9C0D1E: to=<victim@example.org>, relay=mx.example.org[192.0.2.90]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5DEF)
Nov 21 10:05:00 mx postfix/smtpd[501]: 8B9C0D1E2F: client=mail.friend.example[192.0.2.7]
Nov 21 10:05:00 mx postfix/qmgr[102]: 8B9C0D1E2F: from=<dan@friend.example>, size=900, nrcpt=1 (queue active)
Nov 21 10:05:01 mx postfix/smtp[105]: 8B9C0D1E2F: to=<carol.private@example.org>, orig_to=<carol@example.com>, relay=mx.example.org[192.0.2.90]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 6EF0)
Nov 21 10:10:00 mx postfix/smtpd[502]: 9C0D1E2F3A: client=ws10.example.com[203.0.113.10]
Nov 21 10:10:00 mx postfix/qmgr[102]: 9C0D1E2F3A: from=<alice@example.com>, size=900, nrcpt=1 (queue active)
Nov 21 10:10:01 mx postfix/smtp[105]: 9C0D1E2F3A: to=<dan@friend.example>, relay=mail.friend.example[192.0.2.7]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 7F01)
`

func TestRelayedNeedsOwnNetworks(t *testing.T) {
	p := writeLog(t, "maillog", relayPostfix)
	ref := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	rep, _ := Scan(context.Background(), Options{Files: []string{p}, YearReference: ref,
		OwnNetworks: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/28")}})
	if !rep.RelayChecked || rep.Relayed.Count != 1 || rep.Relayed.Samples[0].Line != 3 {
		t.Errorf("relayed %+v, want the lottery spam only", rep.Relayed)
	}
	rep, _ = Scan(context.Background(), Options{Files: []string{p}, YearReference: ref})
	if rep.RelayChecked || rep.Relayed.Count != 0 {
		t.Errorf("without own networks: checked %v, relayed %d", rep.RelayChecked, rep.Relayed.Count)
	}
}
