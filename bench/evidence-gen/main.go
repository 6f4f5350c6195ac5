// Command evidence-gen writes a synthetic Postfix maillog for the evidence
// benchmark (bench/evidence.sh): a realistic mix of delivered mail, TLS
// and postscreen chatter, rejected spam, bounces, forged own-domain senders
// and, here and there, SMTP callout probes of the kinds evidence detects.
// The output is deterministic for a given -seed and -size.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

func main() {
	size := flag.Int64("size", 600<<20, "stop after this many bytes")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("o", "-", "output file (- = stdout)")
	flag.Parse()
	w := os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	g := &gen{w: bw, r: rand.New(rand.NewPCG(*seed, 7)), t: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC), pid: 1000, qid: 0x4A1B2C3D00}
	for g.n < *size {
		g.session()
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

type gen struct {
	w   *bufio.Writer
	r   *rand.Rand
	t   time.Time
	n   int64
	pid int
	qid int
}

func (g *gen) line(prog string, pid int, format string, args ...any) {
	g.t = g.t.Add(time.Duration(g.r.IntN(400)) * time.Millisecond)
	s := fmt.Sprintf("%s mx1 %s[%d]: ", g.t.Format(time.Stamp), prog, pid) + fmt.Sprintf(format, args...) + "\n"
	g.n += int64(len(s))
	g.w.WriteString(s)
}

func (g *gen) client() (name, ip string) {
	ip = fmt.Sprintf("%d.%d.%d.%d", 1+g.r.IntN(222), g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
	if g.r.IntN(3) == 0 {
		return "unknown", ip
	}
	return fmt.Sprintf("mail%d.example%d.net", g.r.IntN(50), g.r.IntN(9000)), ip
}

func (g *gen) nextQID() string {
	g.qid++
	return fmt.Sprintf("%X", g.qid)
}

func (g *gen) user(dom string) string {
	return fmt.Sprintf("user%d@%s", g.r.IntN(5000), dom)
}

// session writes one SMTP session of a randomly chosen kind.
func (g *gen) session() {
	g.pid++
	switch k := g.r.IntN(1000); {
	case k < 590:
		g.delivered(g.user(fmt.Sprintf("sender%d.example", g.r.IntN(3000))), g.user("victim.example"))
	case k < 800:
		g.rejectedSpam()
	case k < 880:
		g.postscreen()
	case k < 930:
		g.delivered("", g.user("victim.example")) // a bounce
	case k < 990:
		g.delivered(fmt.Sprintf("forged%d@victim.example", g.r.IntN(400)), g.user("victim.example"))
	case k < 993:
		g.probe(g.r.IntN(40), true)
	case k < 995:
		g.probe(g.r.IntN(20), false)
	case k < 997:
		g.acceptedNoData()
	default:
		g.rejectedSpam()
	}
}

func (g *gen) delivered(from, to string) {
	name, ip := g.client()
	pid, qid := g.pid, g.nextQID()
	g.line("postfix/smtpd", pid, "connect from %s[%s]", name, ip)
	if g.r.IntN(2) == 0 {
		g.line("postfix/smtpd", pid, "Anonymous TLS connection established from %s[%s]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)", name, ip)
	}
	g.line("postfix/smtpd", pid, "%s: client=%s[%s]", qid, name, ip)
	g.line("postfix/cleanup", pid+7, "%s: message-id=<%d.%d@%s>", qid, g.r.Uint32(), g.pid, name)
	g.line("postfix/qmgr", 900, "%s: from=<%s>, size=%d, nrcpt=1 (queue active)", qid, from, 1000+g.r.IntN(90000))
	g.line("postfix/local", pid+9, "%s: to=<%s>, relay=local, delay=0.%d, delays=0.1/0/0/0.%d, dsn=2.0.0, status=sent (delivered to mailbox)", qid, to, g.r.IntN(99), g.r.IntN(9))
	g.line("postfix/qmgr", 900, "%s: removed", qid)
	g.line("postfix/smtpd", pid, "disconnect from %s[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5", name, ip)
}

func (g *gen) rejectedSpam() {
	name, ip := g.client()
	pid := g.pid
	g.line("postfix/smtpd", pid, "connect from %s[%s]", name, ip)
	to := g.user("victim.example")
	g.line("postfix/smtpd", pid, "NOQUEUE: reject: RCPT from %s[%s]: 554 5.7.1 Service unavailable; Client host [%s] blocked using zen.spamhaus.org; from=<%s> to=<%s> proto=ESMTP helo=<%s>",
		name, ip, ip, g.user("spam.example"), to, name)
	g.line("postfix/smtpd", pid, "disconnect from %s[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4", name, ip)
}

func (g *gen) postscreen() {
	_, ip := g.client()
	g.line("postfix/postscreen", 800, "CONNECT from [%s]:%d to [192.0.2.25]:25", ip, 1024+g.r.IntN(60000))
	g.line("postfix/postscreen", 800, "PASS OLD [%s]:%d", ip, 1024+g.r.IntN(60000))
	g.line("postfix/anvil", 801, "statistics: max connection rate 1/60s for (smtp:%s) at %s", ip, g.t.Format(time.Stamp))
}

// probe writes a callout from one of a few prober hosts (n): Exim's random
// local part then the real address, or Postfix's double-bounce sender.
func (g *gen) probe(n int, exim bool) {
	helo, ip := fmt.Sprintf("mx%d.filter.example", n), fmt.Sprintf("192.0.2.%d", 10+n)
	if !exim {
		helo, ip = fmt.Sprintf("mx%d.verify.example", n), fmt.Sprintf("198.51.100.%d", 10+n)
	}
	pid := g.pid
	g.line("postfix/smtpd", pid, "connect from %s[%s]", helo, ip)
	from := "<>"
	if !exim {
		from = "<double-bounce@verify.example>"
	}
	rcpts := []string{fmt.Sprintf("forged%d@victim.example", g.r.IntN(400))}
	if exim {
		rcpts = append([]string{fmt.Sprintf("%s-%d-testing@victim.example", helo, g.t.Unix()-3)}, rcpts...)
	}
	for _, r := range rcpts {
		g.line("postfix/smtpd", pid, "NOQUEUE: reject: RCPT from %s[%s]: 550 5.1.1 <%s>: Recipient address rejected: User unknown in local recipient table; from=%s to=<%s> proto=ESMTP helo=<%s>",
			helo, ip, r, from, r, helo)
	}
	g.line("postfix/smtpd", pid, "disconnect from %s[%s] ehlo=1 mail=1 rcpt=0/%d rset=1 quit=1 commands=4/%d", helo, ip, len(rcpts), 4+len(rcpts))
}

func (g *gen) acceptedNoData() {
	name, ip := g.client()
	pid := g.pid
	g.line("postfix/smtpd", pid, "connect from %s[%s]", name, ip)
	g.line("postfix/smtpd", pid, "%s: client=%s[%s]", g.nextQID(), name, ip)
	g.line("postfix/smtpd", pid, "disconnect from %s[%s] ehlo=1 mail=1 rcpt=1 rset=1 quit=1 commands=5", name, ip)
}
