package evidence

import (
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"testing"
	"time"
)

// TestLinksCountEveryProbe: a prober whose 20 probes each follow a forged
// use of the address it asks about has 20 linked probes, though its
// sample (and so Links) holds only the first and last SampleSize; the
// 10 between are in OmittedLinks, by minute.
func TestLinksCountEveryProbe(t *testing.T) {
	var b strings.Builder
	for i := range 20 {
		m, pid := 10+i, 24000+2*i
		fmt.Fprintf(&b, "Nov 27 05:%02d:01 mx postfix/smtpd[%d]: connect from spam.example.net[198.51.100.7]\n", m, pid)
		fmt.Fprintf(&b, "Nov 27 05:%02d:01 mx postfix/smtpd[%d]: %X: client=spam.example.net[198.51.100.7]\n", m, pid, 0x4104E30+i)
		fmt.Fprintf(&b, "Nov 27 05:%02d:02 mx postfix/qmgr[23975]: %X: from=<user%d@victim.test>, size=5360, nrcpt=1 (queue active)\n", m, 0x4104E30+i, i)
		fmt.Fprintf(&b, "Nov 27 05:%02d:02 mx postfix/local[23992]: %X: to=<alice@victim.test>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)\n", m, 0x4104E30+i)
		fmt.Fprintf(&b, "Nov 27 05:%02d:02 mx postfix/smtpd[%d]: disconnect from spam.example.net[198.51.100.7] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5\n", m, pid)
		pid++
		fmt.Fprintf(&b, "Nov 27 05:%02d:30 mx postfix/smtpd[%d]: connect from mx.verifier.example[192.0.2.50]\n", m, pid)
		fmt.Fprintf(&b, "Nov 27 05:%02d:30 mx postfix/smtpd[%d]: NOQUEUE: reject: RCPT from mx.verifier.example[192.0.2.50]: 550 5.1.1 <user%d@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<double-bounce@verifier.example> to=<user%d@victim.test> proto=ESMTP helo=<mx.verifier.example>\n", m, pid, i, i)
		fmt.Fprintf(&b, "Nov 27 05:%02d:30 mx postfix/smtpd[%d]: disconnect from mx.verifier.example[192.0.2.50] ehlo=1 mail=1 rcpt=0/1 rset=1 quit=1 commands=4/5\n", m, pid)
	}
	rep := scanText(t, b.String(), "victim.test")
	if len(rep.Probers) != 1 || rep.Probers[0].IP != "192.0.2.50" {
		t.Fatalf("probers %+v, want 192.0.2.50 only", rep.Probers)
	}
	p, c := rep.Probers[0], rep.Campaign
	if p.Probes != 20 || p.LinkedProbes != 20 || c.LinkedProbes != 20 {
		t.Errorf("probe_count %d, linked %d, campaign linked %d; want 20, 20, 20", p.Probes, p.LinkedProbes, c.LinkedProbes)
	}
	if len(c.Links) != 2*SampleSize || c.OmittedLinks.Probes != 20-2*SampleSize {
		t.Errorf("%d links listed, %d omitted; want %d and %d", len(c.Links), c.OmittedLinks.Probes, 2*SampleSize, 20-2*SampleSize)
	}
	if n := len(c.OmittedLinks.Buckets); n != 10 || c.OmittedLinks.BucketSeconds != 60 {
		t.Errorf("%d buckets of %d s, want 10 of 60 s (one probe a minute)", n, c.OmittedLinks.BucketSeconds)
	}
	for _, f := range c.ForgedSenders {
		if f.LinkedProbes != 1 {
			t.Errorf("%s: %d linked probes, want 1 (each address asked once)", f.Address, f.LinkedProbes)
		}
	}
	if b := c.OmittedLinks.Buckets; len(b) > 0 && b[0].Start.Minute() != 15 {
		t.Errorf("first omitted bucket at %v, want 05:15 (the sixth probe)", b[0].Start)
	}
}

// TestLinkKeysKeepSeqWithoutRecipients: a probe without recipients links
// to nothing but still counts among its host's probes, so that the
// sample test of the others stays right.
func TestLinkKeysKeepSeqWithoutRecipients(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	c := newCampaign([]string{"victim.test"}, nil)
	a := newAggregator()
	for i := range 12 {
		at := t0.Add(time.Duration(i) * time.Minute)
		p := Probe{IP: "192.0.2.50", Time: at, Kind: ProbeNullSender, Recipients: []string{"user@victim.test"}}
		if i == 0 {
			p.Recipients = nil
		}
		c.record(c.forged, "user@victim.test", &Event{Time: at.Add(-time.Second), IP: "198.51.100.7"}, time.Time{})
		a.add(p)
	}
	c.result(a.result, DefaultLinkWindow)
	tally, err := c.linkCounts(&a.keys, DefaultLinkWindow, a.isSampled, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	perHost, om := tally.perHost, tally.omitted
	// Probes 1..5 and 8..12 are sampled; probe 1 has no recipient.
	if perHost["192.0.2.50"] != 11 || om.Probes != 2 {
		t.Errorf("linked %d, omitted %d; want 11 and 2 (probes 6 and 7)", perHost["192.0.2.50"], om.Probes)
	}
	if len(om.Buckets) != 2 || !om.Buckets[0].Start.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("buckets %+v, want 05:05 and 05:06", om.Buckets)
	}
}

// TestLinkKeysSpill: past spillAfter keys they go to a temporary file and
// come back in order: the counts stay exact, and close removes the file.
func TestLinkKeysSpill(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	t0 := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	c := newCampaign([]string{"victim.test"}, nil)
	a := newAggregator()
	n := spillAfter + keyBlock + 100
	c.record(c.forged, "user@victim.test", &Event{Time: t0.Add(-time.Second), IP: "198.51.100.7"}, time.Time{})
	for i := range n {
		ip := fmt.Sprintf("192.0.2.%d", i%3)
		rcpt := fmt.Sprintf("other%d@victim.test", i)
		if i%2 == 0 {
			rcpt = "user@victim.test" // linked
		}
		a.add(Probe{IP: ip, Time: t0.Add(time.Duration(i) * time.Second), Kind: ProbeNullSender, Recipients: []string{rcpt}})
	}
	if a.keys.sp.f == nil || a.keys.sp.n == 0 {
		t.Fatalf("no spill after %d keys", n)
	}
	name := a.keys.sp.f.Name()
	c.result(a.result, DefaultLinkWindow)
	tally, err := c.linkCounts(&a.keys, DefaultLinkWindow, a.isSampled, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	perHost, om := tally.perHost, tally.omitted
	want := map[string]int{}
	for i := 0; i < n; i += 2 {
		want[fmt.Sprintf("192.0.2.%d", i%3)]++
	}
	total := 0
	for ip, w := range want {
		if perHost[ip] != w {
			t.Errorf("%s: %d linked, want %d", ip, perHost[ip], w)
		}
		total += w
	}
	// Each host's first and last 5 probes are sampled; of those, the
	// linked ones (even i) are not omitted.
	sampledLinked := 0
	for _, p := range a.result() {
		for _, ev := range p.Events {
			if ev.Recipients[0] == "user@victim.test" {
				sampledLinked++
			}
		}
	}
	if om.Probes != total-sampledLinked {
		t.Errorf("omitted %d, want %d", om.Probes, total-sampledLinked)
	}
	if err := a.keys.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("spill file %s left behind: %v", name, err)
	}
}

func TestAddrHashIsFNVOfLowerCase(t *testing.T) {
	for _, a := range []string{"", "User@Victim.TEST", "user@victim.test", "ÄRGER@Bücher.example"} {
		h := fnv.New64a()
		h.Write([]byte(strings.ToLower(a)))
		if got := addrHash(a); got != h.Sum64() {
			t.Errorf("%q: %x, want %x", a, got, h.Sum64())
		}
	}
}

// TestDomainLinkedAgreesWithDomainLinks: for Exim random probes the
// merged-uses test says linked exactly when domainLinks lists a link,
// around both edges (verifyLag after, the window before).
func TestDomainLinkedAgreesWithDomainLinks(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	c := newCampaign([]string{"victim.test"}, nil)
	for i, d := range []time.Duration{0, 30 * time.Minute, 25 * time.Hour} {
		ev := Event{Time: t0.Add(d), IP: "198.51.100.7"}
		began := time.Time{}
		if i == 1 {
			began = ev.Time.Add(-5 * time.Second)
		}
		c.record(c.forged, fmt.Sprintf("user%d@victim.test", i), &ev, began)
	}
	c.result(func() []Prober { return nil }, DefaultLinkWindow)
	byDomain := map[string][]string{"victim.test": {"user0@victim.test", "user1@victim.test", "user2@victim.test"}}
	merged := map[string][]forgedUse{}
	for off := -time.Hour; off <= 50*time.Hour; off += 7 * time.Second {
		p := Probe{IP: "192.0.2.9", Time: t0.Add(off), Kind: ProbeEximRandom, Recipients: []string{"mx.x-1795760883-testing@victim.test"}}
		want := len(c.domainLinks(p.IP, p, DefaultLinkWindow, byDomain)) > 0
		if got := c.domainLinked([]string{"victim.test"}, p.Time, DefaultLinkWindow, byDomain, merged); got != want {
			t.Fatalf("probe at %v: linked %v, domainLinks says %v", p.Time, got, want)
		}
	}
}
