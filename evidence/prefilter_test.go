package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// syntheticMaillog mixes ordinary sessions with probes, forged senders,
// bounces, pid reuse and a second host, in the shapes Postfix writes.
func syntheticMaillog(n int) string { return syntheticMaillogSkew(n, 0) }

// syntheticMaillogSkew is syntheticMaillog with host mx2's clock skew
// ahead, and null-sender callouts and greylisted bounces for the held
// verdicts (explain.go).
func syntheticMaillogSkew(n int, skew time.Duration) string {
	var b strings.Builder
	t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	line := func(host, prog string, pid int, format string, args ...any) {
		t = t.Add(700 * time.Millisecond)
		at := t
		if host == "mx2" {
			at = at.Add(skew)
		}
		fmt.Fprintf(&b, "%s %s %s[%d]: %s\n", at.Format(time.Stamp), host, prog, pid, fmt.Sprintf(format, args...))
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
		case 5: // a session whose disconnect is lost, or a null-sender session
			if skew == 0 {
				break
			}
			to := fmt.Sprintf("user%d@victim.test", i%5)
			code := "550 5.1.1 <" + to + ">: Recipient address rejected: User unknown in local recipient table"
			if i%4 == 1 {
				code = "450 4.2.0 <" + to + ">: Recipient address rejected: Greylisted"
			}
			line(host, "postfix/smtpd", pid, "NOQUEUE: reject: RCPT from c%d.example[%s]: %s; from=<> to=<%s> proto=ESMTP helo=<c%d.example>", i, ip, code, to, i)
			line(host, "postfix/smtpd", pid, "disconnect from c%d.example[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4", i, ip)
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
	sameReportAcrossBuffers(t, scan)
}

// sameReportAcrossBuffers fails the test when a scan with the prefilter
// on, or with smaller read buffers, gives another report than the
// one-buffer, unfiltered scan.
func sameReportAcrossBuffers(t *testing.T, scan func(chunk int, noPrefilter bool) []byte) {
	t.Helper()
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

// TestPrefilterKeepsReportsSkewedRotated: two hosts, one with its clock
// 2 h ahead, null-sender sessions held for their explanation, and the log
// rotated into three files cut mid-session: the report is the same with
// the prefilter on and off and whatever the read buffers.
func TestPrefilterKeepsReportsSkewedRotated(t *testing.T) {
	lines := strings.SplitAfter(syntheticMaillogSkew(3000, 2*time.Hour), "\n")
	dir := t.TempDir()
	third := len(lines) / 3
	for name, part := range map[string][]string{"maillog.2": lines[:third], "maillog.1": lines[third : 2*third], "maillog": lines[2*third:]} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(part, "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	scan := func(chunk int, noPrefilter bool) []byte {
		o := scanOpts(filepath.Join(dir, "maillog*"))
		o.Domains = []string{"victim.test"}
		o.YearReference = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		o.chunkSize, o.noPrefilter, o.MaxLineBytes = chunk, noPrefilter, 1024
		rep, err := Scan(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Probers) == 0 || len(rep.Suspects) == 0 {
			t.Fatalf("the log should give probers and suspects: %d, %d", len(rep.Probers), len(rep.Suspects))
		}
		for i := range rep.Stats.Files { // the names differ by nothing, but keep the check on content
			rep.Stats.Files[i].File = filepath.Base(rep.Stats.Files[i].File)
		}
		out, _ := json.Marshal(rep)
		return out
	}
	sameReportAcrossBuffers(t, scan)
}

// queueOrderMaillog writes Postfix messages whose queue lines come in
// every order a busy syslog can deliver them: client= before and after the
// qmgr from= line, deliveries and removals before it, a message logged
// twice, ordinary, bounce and forged senders, sessions kept and dropped.
func queueOrderMaillog(n int) string {
	var b strings.Builder
	t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	line := func(prog string, pid int, format string, args ...any) {
		t = t.Add(300 * time.Millisecond)
		fmt.Fprintf(&b, "%s mx1 %s[%d]: %s\n", t.Format(time.Stamp), prog, pid, fmt.Sprintf(format, args...))
	}
	for i := range n {
		pid, qid, ip := 2000+i%40, fmt.Sprintf("%X", 0xB0000+i), fmt.Sprintf("198.51.100.%d", i%200)
		from := fmt.Sprintf("u%d@other.example", i)
		switch i % 5 {
		case 1:
			from = ""
		case 2:
			from = fmt.Sprintf("forged%d@victim.test", i%7)
		}
		client := func() { line("postfix/smtpd", pid, "%s: client=c%d.example[%s]", qid, i, ip) }
		qmgr := func() { line("postfix/qmgr", 9, "%s: from=<%s>, size=10, nrcpt=1 (queue active)", qid, from) }
		deliver := func() {
			line("postfix/local", 10, "%s: to=<user%d@victim.test>, relay=local, status=sent (ok)", qid, i%9)
			line("postfix/qmgr", 9, "%s: removed", qid)
		}
		line("postfix/smtpd", pid, "connect from c%d.example[%s]", i, ip)
		switch i % 4 {
		case 0: // the usual order
			client()
			qmgr()
			deliver()
		case 1: // qmgr before client=, twice
			qmgr()
			client()
			qmgr()
			deliver()
		case 2: // delivery and removal logged before qmgr
			client()
			deliver()
			qmgr()
		case 3: // client= only: accepted, no message seen in this log
			client()
		}
		data := "data=1 "
		if i%6 == 5 {
			data = ""
		}
		line("postfix/smtpd", pid, "disconnect from c%d.example[%s] ehlo=1 mail=1 rcpt=1 %squit=1 commands=5", i, ip, data)
	}
	return b.String()
}

// TestPrefilterQueueLinesInAnyOrder checks that dropping ordinary queue
// lines as they come, and the rest once the chunk is read, gives the same
// report as no filter, for every order of a message's lines and for
// chunk edges anywhere.
func TestPrefilterQueueLinesInAnyOrder(t *testing.T) {
	log := queueOrderMaillog(2000)
	scan := func(chunk int, noPrefilter bool) []byte {
		o := scanOpts("-")
		o.Stdin = strings.NewReader(log)
		o.chunkSize, o.noPrefilter, o.MaxLineBytes = chunk, noPrefilter, 512
		rep, err := Scan(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Campaign.ForgedSenders) == 0 || len(rep.Campaign.Backscatter) == 0 {
			t.Fatalf("the log should give forged senders and backscatter: %+v", rep.Campaign)
		}
		out, _ := json.Marshal(rep)
		return out
	}
	want := scan(1<<20, true)
	for _, chunk := range []int{1 << 20, 8192, 1024} {
		if got := scan(chunk, false); !bytes.Equal(got, want) {
			t.Errorf("chunk %d: filtered report differs from the unfiltered one", chunk)
		}
	}
}
