package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// syntheticMaillog mixes ordinary sessions with probes, forged senders,
// bounces, pid reuse and a second host, in the shapes Postfix writes.
func syntheticMaillog(n int) string {
	var b strings.Builder
	t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	line := func(host, prog string, pid int, format string, args ...any) {
		t = t.Add(700 * time.Millisecond)
		fmt.Fprintf(&b, "%s %s %s[%d]: %s\n", t.Format(time.Stamp), host, prog, pid, fmt.Sprintf(format, args...))
	}
	for i := range n {
		pid, host := 1000+i%50, "mx1" // pids reused often
		if i%7 == 0 {
			host = "mx2"
		}
		ip, qid := fmt.Sprintf("203.0.113.%d", i%250), fmt.Sprintf("%X", 0xA0000+i)
		line(host, "postfix/smtpd", pid, "connect from c%d.example[%s]", i, ip)
		switch i % 6 {
		case 0, 1: // delivered; every fifth from a forged own sender, every seventh a bounce
			from := fmt.Sprintf("u%d@other.example", i)
			if i%5 == 0 {
				from = fmt.Sprintf("forged%d@victim.test", i%13)
			} else if i%7 == 1 {
				from = ""
			}
			line(host, "postfix/smtpd", pid, "%s: client=c%d.example[%s]", qid, i, ip)
			line(host, "postfix/qmgr", 9, "%s: from=<%s>, size=100, nrcpt=1 (queue active)", qid, from)
			line(host, "postfix/local", 10, "%s: to=<user%d@victim.test>, relay=local, status=sent (ok)", qid, i%17)
			line(host, "postfix/qmgr", 9, "%s: removed", qid)
			line(host, "postfix/smtpd", pid, "disconnect from c%d.example[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5", i, ip)
		case 2: // spam rejected
			line(host, "postfix/smtpd", pid, "NOQUEUE: reject: RCPT from c%d.example[%s]: 554 5.7.1 blocked; from=<s%d@spam.example> to=<user1@victim.test> proto=ESMTP helo=<c%d.example>", i, ip, i, i)
			line(host, "postfix/smtpd", pid, "disconnect from c%d.example[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4", i, ip)
		case 3: // Exim random callout, then the forged address
			h := fmt.Sprintf("mx%d.filter.example", i%4)
			for _, r := range []string{fmt.Sprintf("%s-%d-testing@victim.test", h, t.Unix()-2), fmt.Sprintf("forged%d@victim.test", i%13)} {
				line(host, "postfix/smtpd", pid, "NOQUEUE: reject: RCPT from %s[192.0.2.%d]: 550 5.1.1 <%s>: User unknown; from=<> to=<%s> proto=ESMTP helo=<%s>", h, i%4, r, r, h)
			}
			line(host, "postfix/smtpd", pid, "disconnect from %s[192.0.2.%d] ehlo=1 mail=1 rcpt=0/2 rset=1 quit=1 commands=4/6", h, i%4)
		case 4: // accepted, no DATA
			line(host, "postfix/smtpd", pid, "%s: client=c%d.example[%s]", qid, i, ip)
			line(host, "postfix/smtpd", pid, "disconnect from c%d.example[%s] ehlo=1 mail=1 rcpt=1 rset=1 quit=1 commands=5", i, ip)
		case 5: // a session whose disconnect is lost
		}
	}
	return b.String()
}

// TestPrefilterKeepsReports checks that dropping boring sessions on the
// workers, and reusing tiny read buffers, change nothing in the report.
func TestPrefilterKeepsReports(t *testing.T) {
	log := syntheticMaillog(3000)
	scan := func(chunk int, noPrefilter bool) []byte {
		o := scanOpts("-")
		o.Stdin = strings.NewReader(log)
		o.YearReference = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		o.chunkSize, o.noPrefilter, o.MaxLineBytes = chunk, noPrefilter, 1024
		rep, err := Scan(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Probers) == 0 || len(rep.Campaign.ForgedSenders) == 0 || len(rep.Campaign.Backscatter) == 0 || len(rep.Campaign.Links) == 0 {
			t.Fatalf("synthetic log should give probers, forged senders, backscatter and links: %+v", rep.Campaign)
		}
		out, _ := json.Marshal(rep)
		return out
	}
	want := scan(1<<20, true)
	for _, c := range []struct {
		chunk       int
		noPrefilter bool
	}{{1 << 20, false}, {4096, true}, {4096, false}, {2048, false}} {
		if got := scan(c.chunk, c.noPrefilter); !bytes.Equal(got, want) {
			t.Errorf("chunk %d, prefilter %v: report differs from the one-buffer, unfiltered scan", c.chunk, !c.noPrefilter)
		}
	}
}
