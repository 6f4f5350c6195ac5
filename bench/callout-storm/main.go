// Command callout-storm writes a Postfix maillog that is a callout storm:
// by default 1,000,000 lines holding 250,000 Exim callout=random probes
// (random local part, then QUIT) from 256 hosts, with ordinary delivered
// mail between them, and a file with each prober's exact probe count, so
// that a scan's probe_count can be checked. Used by bench/evidence-storm.sh.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"time"
)

func main() {
	lines := flag.Int("lines", 1_000_000, "lines to write")
	probes := flag.Int("probes", 250_000, "callout sessions")
	hosts := flag.Int("hosts", 256, "prober hosts")
	out := flag.String("o", "storm.log", "output log")
	counts := flag.String("counts", "storm.counts", "output: IP and probe count per line")
	flag.Parse()
	if err := write(*out, *counts, *lines, *probes, *hosts); err != nil {
		log.Fatal(err)
	}
}

func write(out, counts string, lines, probes, hosts int) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	t := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	// Each probe is 3 lines; the rest is ordinary mail, 6 lines a message.
	fill := max(0, (lines-3*probes)/6)
	perHost := make([]int, hosts)
	pid, qid := 1000, 0x10000
	step := 3 * 24 * time.Hour / time.Duration(probes+fill) // three days
	for p, m := 0, 0; p < probes || m < fill; {
		t = t.Add(step)
		stamp := t.Format(time.Stamp)
		pid = 1000 + (pid+1)%30000
		if p < probes && (m >= fill || rng.IntN(probes+fill) < probes) {
			h := rng.IntN(hosts)
			perHost[h]++
			ip := fmt.Sprintf("198.18.%d.%d", h/256, h%256+1)
			name := fmt.Sprintf("mx%d.filter%d.example", h%8, h)
			rcpt := fmt.Sprintf("%s-%d-testing@victim.example", name, t.Unix()-int64(rng.IntN(3)))
			fmt.Fprintf(w, "%s mx postfix/smtpd[%d]: connect from %s[%s]\n", stamp, pid, name, ip)
			fmt.Fprintf(w, "%s mx postfix/smtpd[%d]: NOQUEUE: reject: RCPT from %s[%s]: 550 5.1.1 <%s>: Recipient address rejected: User unknown in local recipient table; from=<> to=<%s> proto=ESMTP helo=<%s>\n", stamp, pid, name, ip, rcpt, rcpt, name)
			fmt.Fprintf(w, "%s mx postfix/smtpd[%d]: disconnect from %s[%s] ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6\n", stamp, pid, name, ip)
			p++
			continue
		}
		qid++
		ip := fmt.Sprintf("203.0.113.%d", rng.IntN(250)+1)
		fmt.Fprintf(w, "%s mx postfix/smtpd[%d]: connect from c%d.example[%s]\n", stamp, pid, m, ip)
		fmt.Fprintf(w, "%s mx postfix/smtpd[%d]: %X: client=c%d.example[%s]\n", stamp, pid, qid, m, ip)
		fmt.Fprintf(w, "%s mx postfix/qmgr[99]: %X: from=<u%d@sender.example>, size=2000, nrcpt=1 (queue active)\n", stamp, qid, m)
		fmt.Fprintf(w, "%s mx postfix/local[98]: %X: to=<user%d@victim.example>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)\n", stamp, qid, m%500)
		fmt.Fprintf(w, "%s mx postfix/qmgr[99]: %X: removed\n", stamp, qid)
		fmt.Fprintf(w, "%s mx postfix/smtpd[%d]: disconnect from c%d.example[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5\n", stamp, pid, m, ip)
		m++
	}
	if err := w.Flush(); err != nil {
		return err
	}
	c, err := os.Create(counts)
	if err != nil {
		return err
	}
	defer c.Close()
	for h, n := range perHost {
		if n > 0 {
			fmt.Fprintf(c, "198.18.%d.%d %d\n", h/256, h%256+1, n)
		}
	}
	return nil
}
