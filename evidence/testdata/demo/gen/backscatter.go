// The demo's backscatter story: the same MX (mx, 203.0.113.25, Postfix
// 3.7) on the same day, but this time the listing is deserved. Its
// local_recipient_maps is empty, so it accepts mail for any made-up
// example.com recipient, then local(8) fails it with "unknown user" and
// bounce(8) sends a non-delivery notification to the sender: a forged
// address at some other domain. Those bounces are the backscatter the list
// saw. Nobody runs callouts against the MX.

package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	spams      = 42 // spams accepted for made-up recipients, T0 … T0+2h20m
	spamEvery  = 200 * time.Second
	bounceHost = "mx.example.com"
)

// Where the forged senders' domains receive mail, and how: most forged
// senders do not exist (550), a trap domain accepts everything, one
// server defers.
var remotes = []struct {
	domain, host, ip string
	answer           string // "reject", "accept", "defer"
}{
	{"example.net", "mx.example.net", "192.0.2.80", "reject"},
	{"example.org", "mail.example.org", "192.0.2.90", "reject"},
	{"shop.example", "mx1.shop.example", "198.51.100.60", "reject"},
	{"trap.example", "mx.trap.example", "198.51.100.66", "accept"},
	{"school.example", "gw.school.example", "198.51.100.40", "defer"},
}

// bsWorld collects the backscatter story's maillog.
type bsWorld struct {
	rng   *rand.Rand
	lines []line
	seq   int
	pid   int
	qid   uint64
}

func (w *bsWorld) add(t time.Time, prog, format string, args ...any) {
	w.seq++
	msg := fmt.Sprintf(format, args...)
	w.lines = append(w.lines, line{t, w.seq, fmt.Sprintf("%s %s postfix/%s: %s", t.Format(time.Stamp), mxHost, prog, msg)})
}

func (w *bsWorld) newQID() string {
	w.qid += 0x1F3A5C7
	return fmt.Sprintf("%010X", 0x4A00000000+w.qid)
}

func (w *bsWorld) newPID() int {
	w.pid += 7 + w.rng.IntN(40)
	return w.pid
}

func (w *bsWorld) word(n int) string {
	const letters = "aeiouybcdfghjklmnpqrstvwxz"
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(letters[w.rng.IntN(len(letters))])
	}
	return b.String()
}

// spam: a bot connects, Postfix accepts the made-up recipient (no
// recipient table), local(8) fails it, bounce(8) notifies the forged
// sender, smtp(8) carries the bounce to the sender's domain.
func (w *bsWorld) spam(i int, at time.Time) {
	bot := fmt.Sprintf("198.51.100.%d", 201+w.rng.IntN(32))
	r := remotes[i%len(remotes)]
	sender := w.word(5+w.rng.IntN(5)) + "@" + r.domain
	rcpt := w.word(4 + w.rng.IntN(5))
	smtpd, qid := fmt.Sprintf("smtpd[%d]", w.newPID()), w.newQID()
	w.add(at, smtpd, "connect from unknown[%s]", bot)
	t := at.Add(time.Second)
	w.add(t, smtpd, "%s: client=unknown[%s]", qid, bot)
	w.add(t, "cleanup[1290]", "%s: message-id=<%s.%d@%s>", qid, t.Format("20060102150405"), i, r.domain)
	w.add(t, "qmgr[1201]", "%s: from=<%s>, size=%d, nrcpt=1 (queue active)", qid, sender, 1800+w.rng.IntN(3000))
	w.add(t, smtpd, "disconnect from unknown[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5", bot)
	t = t.Add(200 * time.Millisecond)
	w.add(t, fmt.Sprintf("local[%d]", w.newPID()), "%s: to=<%s@example.com>, relay=local, delay=0.24, delays=0.18/0.02/0/0.04, dsn=5.1.1, status=bounced (unknown user: \"%s\")", qid, rcpt, rcpt)
	bqid := w.newQID()
	w.add(t, "cleanup[1290]", "%s: message-id=<%s.%s@%s>", bqid, t.Format("20060102150405"), bqid, bounceHost)
	w.add(t, fmt.Sprintf("bounce[%d]", w.newPID()), "%s: sender non-delivery notification: %s", qid, bqid)
	w.add(t, "qmgr[1201]", "%s: from=<>, size=%d, nrcpt=1 (queue active)", bqid, 3900+w.rng.IntN(3000))
	w.add(t, "qmgr[1201]", "%s: removed", qid)
	t = t.Add(time.Duration(300+w.rng.IntN(700)) * time.Millisecond)
	relay := fmt.Sprintf("%s[%s]:25", r.host, r.ip)
	smtp := fmt.Sprintf("smtp[%d]", w.newPID())
	switch r.answer {
	case "reject":
		w.add(t, smtp, "%s: to=<%s>, relay=%s, delay=0.9, delays=0/0/0.4/0.5, dsn=5.1.1, status=bounced (host %s[%s] said: 550 5.1.1 <%s>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command))",
			bqid, sender, relay, r.host, r.ip, sender)
		w.add(t, "qmgr[1201]", "%s: removed", bqid)
	case "accept":
		w.add(t, smtp, "%s: to=<%s>, relay=%s, delay=0.8, delays=0/0/0.4/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)",
			bqid, sender, relay, strings.ToUpper(w.word(8)))
		w.add(t, "qmgr[1201]", "%s: removed", bqid)
	case "defer":
		w.add(t, smtp, "%s: to=<%s>, relay=%s, delay=1.1, delays=0/0/0.5/0.6, dsn=4.7.1, status=deferred (host %s[%s] said: 450 4.7.1 <%s>: Recipient address rejected: Greylisted, see https://gw.school.example/grey (in reply to RCPT TO command))",
			bqid, sender, relay, r.host, r.ip, sender)
	}
}

// ordinary: the users' own mail, authenticated from the submission
// host, and a friend's mail to them.
func (w *bsWorld) ordinary() {
	out := []struct {
		user, to string
		at       time.Duration
	}{
		{"alice", "dan@friend.example", -4*time.Hour - 36*time.Minute},
		{"bob", "erin@friend.example", -3 * time.Hour},
		{"carol", "frank@friend.example", -90 * time.Minute},
		{"alice", "grace@friend.example", 40 * time.Minute},
		{"dave", "heidi@friend.example", 2 * time.Hour},
		{"bob", "ivan@friend.example", 2*time.Hour + 50*time.Minute},
	}
	for _, o := range out {
		at := T0.Add(o.at)
		smtpd, qid := fmt.Sprintf("smtpd[%d]", w.newPID()), w.newQID()
		w.add(at, smtpd, "connect from ws10.example.com[203.0.113.10]")
		w.add(at, smtpd, "%s: client=ws10.example.com[203.0.113.10], sasl_method=PLAIN, sasl_username=%s", qid, o.user)
		w.add(at, "cleanup[1290]", "%s: message-id=<%s.%s@ws10.example.com>", qid, at.Format("20060102150405"), o.user)
		w.add(at, "qmgr[1201]", "%s: from=<%s@example.com>, size=%d, nrcpt=1 (queue active)", qid, o.user, 900+w.rng.IntN(4000))
		w.add(at, smtpd, "disconnect from ws10.example.com[203.0.113.10] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8")
		t := at.Add(700 * time.Millisecond)
		w.add(t, fmt.Sprintf("smtp[%d]", w.newPID()), "%s: to=<%s>, relay=mail.friend.example[192.0.2.7]:25, delay=0.7, delays=0.01/0/0.3/0.39, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)",
			qid, o.to, strings.ToUpper(w.word(9)))
		w.add(t, "qmgr[1201]", "%s: removed", qid)
	}
	for i := 0; i < 6; i++ {
		at := T0.Add(-4*time.Hour + time.Duration(i)*73*time.Minute)
		smtpd, qid := fmt.Sprintf("smtpd[%d]", w.newPID()), w.newQID()
		user := []string{"alice", "bob", "carol", "dave"}[i%4]
		w.add(at, smtpd, "connect from mail.friend.example[192.0.2.7]")
		w.add(at, smtpd, "%s: client=mail.friend.example[192.0.2.7]", qid)
		w.add(at, "qmgr[1201]", "%s: from=<dan@friend.example>, size=%d, nrcpt=1 (queue active)", qid, 1500+w.rng.IntN(4000))
		w.add(at, smtpd, "disconnect from mail.friend.example[192.0.2.7] ehlo=2 starttls=1 mail=1 rcpt=1 data=1 quit=1 commands=7")
		t := at.Add(300 * time.Millisecond)
		w.add(t, fmt.Sprintf("local[%d]", w.newPID()), "%s: to=<%s@example.com>, relay=local, delay=0.3, delays=0.2/0.05/0/0.05, dsn=2.0.0, status=sent (delivered to mailbox)", qid, user)
		w.add(t, "qmgr[1201]", "%s: removed", qid)
	}
}

// writeBackscatter writes the backscatter story's maillog into dir.
func writeBackscatter(dir string) error {
	w := &bsWorld{rng: rand.New(rand.NewPCG(20261120, 25)), pid: 2100}
	w.ordinary()
	for i := 0; i < spams; i++ {
		w.spam(i, T0.Add(time.Duration(i)*spamEvery))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data := strings.Join(sorted(w.lines), "\n") + "\n"
	return os.WriteFile(filepath.Join(dir, "maillog"), []byte(data), 0o644)
}
