// Command gen writes the demo's sample logs: the seed article's story told
// with documentation names and addresses (RFC 2606, RFC 5737, RFC 3849).
//
//	go run ./evidence/testdata/demo/gen -out evidence/testdata/demo
//
// It writes the story (spamd.log, spamdb-*.dump, maillog) into -out, the
// same day without any callout or backscatter into -out/nocallouts, and
// the day on which the MX's own backscatter is the cause into
// -out/backscatter (backscatter.go). The output depends only on the
// constants below: re-running it reproduces the files byte for byte.
// ../README.md tells the stories and their timelines.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// T0 is the first use of a forged example.com sender; in the backscatter
// story, the first spam the MX accepts for a made-up recipient.
var T0 = time.Date(2026, 11, 20, 12, 49, 25, 0, time.UTC)

const (
	domain   = "example.com"
	mxHost   = "mx" // 203.0.113.25, Postfix 3.7
	gwHost   = "gw" // 203.0.113.26, OpenBSD spamd in front of the secondary MX
	greyPass = 25 * time.Minute
	greyExp  = 4 * time.Hour
	whiteExp = 36 * 24 * time.Hour
	trapExp  = 24 * time.Hour
)

// forged are the made-up example.com addresses the campaign puts in MAIL
// FROM, with when each is first used (after T0).
var forged = []struct {
	addr string
	at   time.Duration
}{
	{"keerheior", 0},
	{"anecowuutp", 7 * time.Minute},
	{"pkgreewaa", 18 * time.Minute},
	{"eemioiyv", 31 * time.Minute},
	{"vbehmonmin", 46 * time.Minute},
	{"euiosvob", 64 * time.Minute},
	{"otjllo", 83 * time.Minute},
	{"akuolsymwt", 101 * time.Minute},
}

var users = []string{"alice", "bob", "carol", "dave", "postmaster"}

// prober is a host that received the campaign elsewhere and checks the
// forged senders with callouts against example.com's MXs.
type prober struct {
	ip, rname, helo string
	primary         string // Exim primary_hostname, in the random local part
	kind            string // exim, postfix, smfsav
	skew            time.Duration
	viaGW           bool  // its first callout lands on the spamd MX
	probes          []int // indexes into forged, in order
	lag             time.Duration
}

// probers: eight hosts of one antispam cloud (filter.example), and four
// others. Skew is log time minus the prober's clock.
var probers = []prober{
	{"192.0.2.65", "mx18-12.smtp.filter.example", "mx18-12.smtp.filter.example", "mx42.filter.example", "exim", 1 * time.Second, true, []int{0}, 41 * time.Second},
	{"192.0.2.66", "mx18-13.smtp.filter.example", "mx18-13.smtp.filter.example", "mx43.filter.example", "exim", -2 * time.Second, false, []int{0, 1, 3, 5}, 58 * time.Second},
	{"192.0.2.67", "mx18-14.smtp.filter.example", "mx18-14.smtp.filter.example", "mx44.filter.example", "exim", 0, false, []int{0, 2, 4, 6}, 73 * time.Second},
	{"192.0.2.70", "mx19-2.smtp.filter.example", "mx19-2.smtp.filter.example", "mx51.filter.example", "exim", 3 * time.Second, true, []int{1}, 52 * time.Second},
	{"192.0.2.71", "mx19-3.smtp.filter.example", "mx19-3.smtp.filter.example", "mx52.filter.example", "exim", 0, false, []int{1, 2, 3, 7}, 95 * time.Second},
	{"192.0.2.72", "mx19-4.smtp.filter.example", "mx19-4.smtp.filter.example", "mx53.filter.example", "exim", -1 * time.Second, false, []int{2, 4, 5, 6, 7}, 64 * time.Second},
	{"192.0.2.73", "mx19-5.smtp.filter.example", "mx19-5.smtp.filter.example", "mx54.filter.example", "exim", 37 * time.Second, false, []int{3, 4, 6}, 2 * time.Minute},
	{"2001:db8:f1::25", "mx20-1.smtp.filter.example", "mx20-1.smtp.filter.example", "mx60.filter.example", "exim", 2 * time.Second, false, []int{0, 5, 7}, 47 * time.Second},
	{"198.51.100.40", "gw.school.example", "gw.school.example", "gw.school.example", "exim", -5 * time.Second, true, []int{2}, 3 * time.Minute},
	{"203.0.113.200", "mail.hosting.example", "mail.hosting.example", "mail.hosting.example", "exim", 1 * time.Second, false, []int{4, 6}, 4 * time.Minute},
	{"198.51.100.77", "mx.isp.example", "mx.isp.example", "", "postfix", 0, false, []int{0, 3, 5, 7}, 2 * time.Minute},
	{"192.0.2.200", "", "yourhost.yourdomain.tld", "", "smfsav", 0, false, []int{1, 6}, 6 * time.Minute},
}

// world collects the lines of each file; lines are sorted by time, ties
// kept in the order they were added.
type world struct {
	rng            *rand.Rand
	maillog, spamd []line
	seq            int
	pid            int
	qid            uint64
	grey           map[string]*greyEntry
	white          map[string]*whiteEntry
	trapped        map[string]time.Time
	traps          []string
	callouts       bool
}

type line struct {
	t   time.Time
	seq int
	s   string
}

type greyEntry struct {
	ip, helo, from, to  string
	first, pass, expire time.Time
	bcount, pcount      int
}

type whiteEntry struct {
	ip                  string
	first, pass, expire time.Time
	bcount, pcount      int
}

func main() {
	out := flag.String("out", "evidence/testdata/demo", "output directory")
	flag.Parse()
	for _, variant := range []struct {
		dir      string
		callouts bool
	}{{*out, true}, {filepath.Join(*out, "nocallouts"), false}} {
		w := newWorld(variant.callouts)
		w.story()
		if err := w.write(variant.dir); err != nil {
			log.Fatal(err)
		}
	}
	if err := writeBackscatter(filepath.Join(*out, "backscatter")); err != nil {
		log.Fatal(err)
	}
}

func newWorld(callouts bool) *world {
	return &world{rng: rand.New(rand.NewPCG(20261120, 1249)), pid: 30000, qid: 0x4B2C1D000,
		grey: map[string]*greyEntry{}, white: map[string]*whiteEntry{}, trapped: map[string]time.Time{},
		traps: []string{"<trap@example.com>", "<wkitp98zpu.fsf@example.com>"}, callouts: callouts}
}

func (w *world) story() {
	w.preexisting()
	w.legit()
	w.campaign()
	if w.callouts {
		for _, p := range probers {
			w.probe(p)
		}
		w.backscatter()
	}
}

// ---------------------------------------------------------------- output

func stamp(t time.Time) string { return t.UTC().Format("Jan _2 15:04:05") }

func (w *world) mail(t time.Time, prog string, pid int, msg string) {
	w.seq++
	w.maillog = append(w.maillog, line{t, w.seq, fmt.Sprintf("%s %s postfix/%s[%d]: %s", stamp(t), mxHost, prog, pid, msg)})
}

func (w *world) spamdLine(t time.Time, pid int, msg string) {
	w.seq++
	w.spamd = append(w.spamd, line{t, w.seq, fmt.Sprintf("%s %s spamd[%d]: %s", stamp(t), gwHost, pid, msg)})
}

// sorted orders lines by time, ties in the order they were added.
func sorted(ls []line) []string {
	sort.SliceStable(ls, func(i, j int) bool {
		if !ls[i].t.Equal(ls[j].t) {
			return ls[i].t.Before(ls[j].t)
		}
		return ls[i].seq < ls[j].seq
	})
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.s
	}
	return out
}

func (w *world) write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string][]string{"maillog": sorted(w.maillog), "spamd.log": sorted(w.spamd)}
	for h := 12; h <= 16; h++ {
		at := time.Date(2026, 11, 20, h, 0, 3, 0, time.UTC)
		files[fmt.Sprintf("spamdb-20261120T%02d00Z.dump", h)] = w.dump(at)
	}
	for name, ls := range files {
		data := strings.Join(ls, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	return nil
}

// dump is spamdb(8) output at t: the entries alive then, in a fixed but
// unsorted order, as a hash database yields them.
func (w *world) dump(t time.Time) []string {
	var out []string
	for _, e := range w.white {
		if !e.first.After(t) && e.expire.After(t) {
			out = append(out, fmt.Sprintf("WHITE|%s|||%d|%d|%d|%d|%d", e.ip, e.first.Unix(), e.pass.Unix(), e.expire.Unix(), e.bcount, e.pcount))
		}
	}
	for _, e := range w.grey {
		if !e.first.After(t) && e.expire.After(t) && (e.pcount == 0 || e.pass.After(t)) {
			out = append(out, fmt.Sprintf("GREY|%s|%s|%s|%s|%d|%d|%d|%d|0", e.ip, e.helo, e.from, e.to, e.first.Unix(), e.pass.Unix(), e.expire.Unix(), e.countAt(t)))
		}
	}
	for ip, at := range w.trapped {
		if !at.After(t) && at.Add(trapExp).After(t) {
			out = append(out, fmt.Sprintf("TRAPPED|%s|%d", ip, at.Add(trapExp).Unix()))
		}
	}
	sort.Strings(out)
	r := rand.New(rand.NewPCG(uint64(t.Unix()), 7))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	for _, a := range w.traps {
		out = append(out, "SPAMTRAP|"+a)
	}
	return out
}

// countAt is the block count a dump at t shows (one per (GREY) sighting).
func (e *greyEntry) countAt(t time.Time) int {
	if e.pass.Before(t) && e.pcount > 0 {
		return e.bcount
	}
	if e.first.Add(time.Duration(e.bcount-1) * 20 * time.Minute).After(t) {
		return 1
	}
	return e.bcount
}

// ---------------------------------------------------------------- spamd

// greySession is a greylisted SMTP dialogue on spamd whose RCPT is logged
// at at: spamd's 1 s stutter makes the dialogue before it take about ten
// seconds.
func (w *world) greySession(at time.Time, ip, helo, from, to string, clients int) {
	pid := 26915
	t := at.Add(-time.Duration(9+w.rng.IntN(3)) * time.Second)
	w.spamdLine(t, pid, fmt.Sprintf("%s: connected (%d/%d)", ip, clients, clients-1))
	w.spamdLine(at, pid, fmt.Sprintf("(GREY) %s: <%s> -> <%s>", ip, from, to))
	key := ip + "|" + helo + "|<" + from + ">|<" + to + ">"
	if e, ok := w.grey[key]; ok {
		e.bcount++
		if at.After(e.pass) {
			e.pcount = 1
			w.white[ip] = &whiteEntry{ip, e.first, at, at.Add(whiteExp), e.bcount, 1}
		}
	} else {
		w.spamdLine(at, 15291, fmt.Sprintf("new entry %s from <%s> to <%s>, helo %s", ip, from, to, helo))
		w.grey[key] = &greyEntry{ip, helo, "<" + from + ">", "<" + to + ">", at, at.Add(greyPass), at.Add(greyExp), 1, 0}
		if strings.HasPrefix(to, "trap@") {
			w.trapped[ip] = at
		}
	}
	w.spamdLine(at.Add(time.Second), pid, fmt.Sprintf("%s: disconnected after %d seconds.", ip, int(at.Add(time.Second).Sub(t).Seconds())))
}

// blackSession is a trapped host stuttered at for minutes.
func (w *world) blackSession(t time.Time, ip, from, to string, clients int) {
	pid := 26915
	w.spamdLine(t, pid, fmt.Sprintf("%s: connected (%d/%d), lists: spamd-greytrap", ip, clients, clients))
	secs := 380 + w.rng.IntN(60)
	w.spamdLine(t.Add(time.Duration(secs-3)*time.Second), pid, fmt.Sprintf("(BLACK) %s: <%s> -> <%s>", ip, from, to))
	w.spamdLine(t.Add(time.Duration(secs)*time.Second), pid, fmt.Sprintf("%s: disconnected after %d seconds. lists: spamd-greytrap", ip, secs))
}

// ---------------------------------------------------------------- Postfix

func (w *world) nextPid() int { w.pid += 1 + w.rng.IntN(40); return w.pid }

func (w *world) nextQid() string {
	w.qid += uint64(0x1000 + w.rng.IntN(0xFFFFF))
	return fmt.Sprintf("%X", w.qid)
}

func client(rname, ip string) string {
	if rname == "" {
		rname = "unknown"
	}
	return rname + "[" + ip + "]"
}

type rcpt struct {
	addr  string
	reply string // "" = accepted
}

// pfSession is one smtpd connection whose RCPTs are logged at at; rcpts
// with a reply are NOQUEUE rejects. It returns the queue id if a recipient
// was accepted, and when the session ended.
func (w *world) pfSession(at time.Time, rname, ip, helo, from string, rcpts []rcpt, data bool, extra string) (string, time.Time) {
	pid := w.nextPid()
	c := client(rname, ip)
	t := at.Add(-time.Duration(w.rng.IntN(2)) * time.Second)
	w.mail(t, "smtpd", pid, "connect from "+c)
	qid, ok := "", 0
	for _, r := range rcpts {
		if r.reply != "" {
			w.mail(at, "smtpd", pid, fmt.Sprintf("NOQUEUE: reject: RCPT from %s: %s; from=<%s> to=<%s> proto=ESMTP helo=<%s>", c, r.reply, from, r.addr, helo))
			continue
		}
		ok++
		if qid == "" {
			qid = w.nextQid()
			w.mail(at, "smtpd", pid, qid+": client="+c)
		}
	}
	stats := fmt.Sprintf("ehlo=1 mail=1 rcpt=%d/%d", ok, len(rcpts))
	if ok == len(rcpts) {
		stats = fmt.Sprintf("ehlo=1 mail=1 rcpt=%d", ok)
	}
	n, total := 2+ok, 2+len(rcpts)
	if data && ok > 0 {
		stats += " data=1"
		n, total = n+1, total+1
	}
	if extra != "" {
		stats = extra
	} else {
		stats += " quit=1"
		n, total = n+1, total+1
		if n == total {
			stats += fmt.Sprintf(" commands=%d", n)
		} else {
			stats += fmt.Sprintf(" commands=%d/%d", n, total)
		}
	}
	end := at.Add(time.Duration(w.rng.IntN(2)) * time.Second)
	if data && qid != "" {
		end = end.Add(time.Second)
		w.mail(end, "cleanup", 31500+w.rng.IntN(400), fmt.Sprintf("%s: message-id=<%d.%s@%s>", qid, t.Unix(), strings.ToLower(qid[:6]), msgidDomain(from, helo)))
	}
	w.mail(end, "smtpd", pid, "disconnect from "+c+" "+stats)
	return qid, end
}

func msgidDomain(from, helo string) string {
	if i := strings.LastIndex(from, "@"); i >= 0 {
		return from[i+1:]
	}
	return helo
}

// deliver is qmgr and local(8) or smtp(8) taking an accepted message.
func (w *world) deliver(qid string, t time.Time, from string, size int, to, relay, status string) {
	w.mail(t, "qmgr", 2211, fmt.Sprintf("%s: from=<%s>, size=%d, nrcpt=1 (queue active)", qid, from, size))
	d := t.Add(time.Duration(w.rng.IntN(2)) * time.Second)
	prog := "local"
	if relay != "local" {
		prog = "smtp"
	}
	delay := float64(d.Sub(t))/float64(time.Second) + 0.12
	w.mail(d, prog, 32000+w.rng.IntN(900), fmt.Sprintf("%s: to=<%s>, relay=%s, delay=%.2g, delays=0.03/0.01/0/%.2g, dsn=2.0.0, status=%s", qid, to, relay, delay, delay-0.04, status))
	w.mail(d, "qmgr", 2211, qid+": removed")
}

// ---------------------------------------------------------------- story

// preexisting: whitelisted senders from before the day.
func (w *world) preexisting() {
	for i, ip := range []string{"192.0.2.7", "198.51.100.9", "203.0.113.80"} {
		first := T0.Add(-time.Duration(20+7*i) * 24 * time.Hour)
		w.white[ip] = &whiteEntry{ip, first, first.Add(26 * time.Minute), T0.Add(time.Duration(15+i) * 24 * time.Hour), 1 + i, 9 + 3*i}
	}
}

// legit is the ordinary mail of the day: a friend's server, the users'
// own outgoing mail, and a new correspondent who passes greylisting.
func (w *world) legit() {
	day := time.Date(2026, 11, 20, 8, 4, 11, 0, time.UTC)
	for i := 0; i < 10; i++ {
		t := day.Add(time.Duration(i)*51*time.Minute + time.Duration(w.rng.IntN(600))*time.Second)
		to := users[i%4] + "@" + domain
		from := []string{"ann", "ben", "lists-owner"}[i%3] + "@friend.example"
		qid, end := w.pfSession(t, "mail.friend.example", "192.0.2.7", "mail.friend.example", from, []rcpt{{to, ""}}, true, "")
		w.deliver(qid, end, from, 2400+w.rng.IntN(30000), to, "local", "sent (delivered to mailbox)")
	}
	for i := 0; i < 6; i++ {
		t := day.Add(time.Duration(i)*83*time.Minute + 17*time.Minute + time.Duration(w.rng.IntN(300))*time.Second)
		from := users[i%4] + "@" + domain
		to := []string{"ann@friend.example", "orders@shop.example", "info@example.org"}[i%3]
		qid, end := w.pfSession(t, "", "203.0.113.10", "ws10.example.com", from, []rcpt{{to, ""}}, true, "")
		relay := map[string]string{"friend.example": "mail.friend.example[192.0.2.7]:25", "shop.example": "mx.shop.example[198.51.100.9]:25", "example.org": "mx.example.org[203.0.113.80]:25"}[to[strings.Index(to, "@")+1:]]
		w.deliver(qid, end, from, 1800+w.rng.IntN(9000), to, relay, "sent (250 2.0.0 Ok: queued)")
	}
	// A first-time correspondent: greylisted at gw, retries, passes.
	t := time.Date(2026, 11, 20, 11, 2, 40, 0, time.UTC)
	for _, d := range []time.Duration{0, 31 * time.Minute} {
		w.greySession(t.Add(d), "198.51.100.20", "mail.newsletter.example", "news@newsletter.example", "carol@"+domain, 2)
	}
}

var spamHelos = []string{"unknown.example", "localhost", "User", "[%s]", "pc-%s.dyn.example.net", "win-%s"}

// campaign: spam forging the example.com senders, to both MXs, from many
// hosts; some of it to the spamd traps.
func (w *world) campaign() {
	n := 0
	for fi, f := range forged {
		from := f.addr + "@" + domain
		start := T0.Add(f.at)
		for k := 0; k < 4; k++ {
			n++
			ip := fmt.Sprintf("198.51.100.%d", 200+n%50)
			helo := spamHelos[(n+k)%len(spamHelos)]
			if strings.Contains(helo, "%s") {
				helo = fmt.Sprintf(helo, strings.ReplaceAll(ip, ".", "-"))
			}
			t := start.Add(time.Duration(k) * time.Duration(170+w.rng.IntN(400)) * time.Second)
			to := users[(fi+k)%4] + "@" + domain
			switch {
			case k == 0 && fi == 0:
				w.greySession(t, ip, helo, from, to, 3)
			case k%2 == 0:
				if k == 2 && fi%3 == 1 {
					w.greySession(t, ip, helo, from, "trap@"+domain, 4)
					w.blackSession(t.Add(21*time.Minute), ip, from, to, 5)
					continue
				}
				w.greySession(t, ip, helo, from, to, 3+k)
			default:
				rc := []rcpt{{to, fmt.Sprintf("450 4.7.25 Client host rejected: cannot find your hostname, [%s]", ip)}}
				if k == 3 {
					rc = append(rc, rcpt{"info@" + domain, "550 5.1.1 <info@" + domain + ">: Recipient address rejected: User unknown in local recipient table"})
				}
				w.pfSession(t.Add(4*time.Second), "", ip, helo, from, rc, false, "")
			}
		}
		// One copy gets through to a real user, and is delivered.
		if fi%3 == 2 {
			ip := fmt.Sprintf("203.0.113.%d", 140+fi)
			t := start.Add(13 * time.Minute)
			to := users[fi%4] + "@" + domain
			qid, end := w.pfSession(t, "mail"+fmt.Sprint(fi)+".bulk.example", ip, "mail"+fmt.Sprint(fi)+".bulk.example", from, []rcpt{{to, ""}}, true, "")
			w.deliver(qid, end, from, 5200+w.rng.IntN(4000), to, "local", "sent (delivered to mailbox)")
		}
	}
}

// probe plays one prober's callouts. Exim checks a random local part
// first; if the MX accepts it (spamd accepts every RCPT) Exim caches
// "accepts anything" for the domain and never calls back again, as in the
// seed article. If it is rejected, Exim caches that too and asks only for
// the real addresses afterwards.
func (w *world) probe(p prober) {
	for i, fi := range p.probes {
		t := T0.Add(forged[fi].at + p.lag + time.Duration(i)*time.Duration(w.rng.IntN(40))*time.Second)
		addr := forged[fi].addr + "@" + domain
		switch p.kind {
		case "exim":
			random := fmt.Sprintf("%s-%d-testing@%s", p.primary, t.Add(-p.skew).Unix(), domain)
			if p.viaGW {
				w.greySession(t, p.ip, p.helo, "", random, 25)
				return
			}
			rc := []rcpt{{addr, userUnknown(addr)}}
			stats := "ehlo=2 starttls=1 mail=1 rcpt=0/1 quit=1 commands=5/6"
			if i == 0 {
				rc = []rcpt{{random, userUnknown(random)}, rc[0]}
				stats = "ehlo=2 starttls=1 mail=2 rcpt=0/2 rset=1 quit=1 commands=7/9"
			}
			w.pfSession(t, p.rname, p.ip, p.helo, "", rc, false, stats)
		case "postfix":
			w.pfSession(t, p.rname, p.ip, p.helo, "double-bounce@isp.example",
				[]rcpt{{addr, userUnknown(addr)}}, false, "ehlo=2 starttls=1 mail=1 rcpt=0/1 rset=1 quit=1 commands=6/7")
		case "smfsav":
			w.pfSession(t, p.rname, p.ip, p.helo, "",
				[]rcpt{{addr, userUnknown(addr)}}, false, "helo=1 mail=1 rcpt=0/1 rset=1 quit=1 commands=4/5")
		}
	}
}

func userUnknown(a string) string {
	return "550 5.1.1 <" + a + ">: Recipient address rejected: User unknown in local recipient table"
}

// backscatter: a real MTA that accepted a spam forging otjllo@example.com
// returns the bounce, and, unlike a callout, retries it.
func (w *world) backscatter() {
	to := forged[6].addr + "@" + domain
	t := T0.Add(forged[6].at + 9*time.Minute)
	for _, d := range []time.Duration{0, 16 * time.Minute, 47 * time.Minute} {
		w.pfSession(t.Add(d), "mx.bounce.example", "198.51.100.99", "mx.bounce.example", "", []rcpt{{to, userUnknown(to)}}, false, "")
	}
	for _, d := range []time.Duration{3 * time.Minute, 34 * time.Minute} {
		w.greySession(t.Add(d), "198.51.100.99", "mx.bounce.example", "", to, 4)
	}
}
