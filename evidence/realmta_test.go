package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"
)

// The logs under testdata/mta were written by real Exim 4.96 and Postfix 3.7
// performing callouts against each other (testdata/mta/capture.sh,
// testdata/mta/PROVENANCE.md):
//
//	127.0.0.25  Exim, verify = sender/callout=random, clock right
//	127.0.0.27  Exim, verify = sender/callout=random, clock 47 s slow
//	127.0.0.28  Exim, verify = sender/callout (no random local part)
//	127.0.0.26  Postfix, reject_unverified_sender: double-bounce@prober2.test,
//	            then with address_verify_sender_ttl double-bounceXXXX@, then
//	            address_verify_sender = postmaster
//	127.0.0.35  Postfix, MX of victim.test   (probed by .25 and .27)
//	127.0.0.45  Exim, MX of victim2.test     (probed by .26)
const mtaDir = "testdata/mta"

// mtaCapture is the year reference of the fixtures: their syslog stamps
// carry no year (PROVENANCE.md says when they were written).
var mtaCapture = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// Own networks of the two victim domains: their MXs and their users'
// submission hosts. Everything else that uses their addresses is forging.
var (
	victimNets  = []string{"127.0.0.35", "127.0.0.50"}
	victim2Nets = []string{"127.0.0.45", "127.0.0.60"}
)

type mtaCase struct {
	name     string // golden file testdata/mta/<name>.want.json
	logs     []string
	domains  []string
	networks []string
	check    func(t *testing.T, r *Report)
}

func mtaCases() []mtaCase {
	return []mtaCase{
		{"postfix-victim", []string{"postfix-victim.log"}, []string{"victim.test"}, victimNets, checkPostfixVictim},
		{"exim-victim", []string{"exim-victim.log"}, []string{"victim2.test"}, victim2Nets, checkEximVictim},
		{"exim-probers", []string{"exim-prober.log", "exim-prober3.log", "exim-prober4.log"}, []string{"victim.test"}, victimNets, checkEximProbers},
		{"postfix-prober", []string{"postfix-prober.log"}, []string{"victim2.test"}, victim2Nets, checkPostfixProber},
		// Every log at once, in no particular order: the spam reaching the
		// probers links to the probes reaching the victims.
		{"all", []string{"exim-victim.log", "postfix-prober.log", "postfix-victim.log", "exim-prober3.log", "exim-prober4.log", "exim-prober.log"},
			[]string{"victim.test", "victim2.test"}, append(slices.Clone(victimNets), victim2Nets...), checkAll},
	}
}

func TestRealMTALogs(t *testing.T) {
	for _, tc := range mtaCases() {
		t.Run(tc.name, func(t *testing.T) {
			r := scanMTA(t, tc)
			tc.check(t, r)
			compareGolden(t, r, filepath.Join(mtaDir, tc.name+".want.json"))
		})
	}
}

func scanMTA(t *testing.T, tc mtaCase) *Report {
	t.Helper()
	var in []string
	for _, l := range tc.logs {
		in = append(in, filepath.Join(mtaDir, l))
	}
	r, err := Scan(context.Background(), ScanOptions{Inputs: in, Domains: tc.domains, OwnNetworks: tc.networks,
		Zone: time.UTC, YearReference: mtaCapture, Workers: 2})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if r.Stats.Malformed != 0 {
		t.Errorf("%d malformed lines in real MTA output: %+v", r.Stats.Malformed, r.Stats.Files)
	}
	return r
}

// compareGolden compares r's JSON with the file, rewriting it under -update.
func compareGolden(t *testing.T, r *Report, wantFile string) {
	t.Helper()
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(wantFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatalf("%v (run go test -run TestRealMTALogs -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("report differs from %s; run with -update and review the diff\n%s", wantFile, got)
	}
}

// The Postfix victim was probed by both Exim probers: three sessions from
// .25 (random + keerheior; anecowuutp alone, the random answer being cached;
// alice, an existing address, accepted and so logged without any reject)
// and two from .27, whose random local parts carry a clock 47 s slow.
func checkPostfixVictim(t *testing.T, r *Report) {
	t.Helper()
	p25 := wantProber(t, r, "127.0.0.25", 2, "mx42.prober.test")
	wantAddresses(t, p25, "keerheior@victim.test", "anecowuutp@victim.test")
	wantRandomProbe(t, p25.Events[0], "mx42.prober.test", 0)
	// alice's probe was accepted: Postfix logs neither the address nor
	// the sender, so the session is not evidence; it is a suspect.
	if s := findSuspect(r, "127.0.0.25"); s == nil || s.NotAccused[WhySenderUnknown] != 1 {
		t.Errorf("127.0.0.25's accepted session: suspect %+v, want one %s session", s, WhySenderUnknown)
	}

	p27 := wantProber(t, r, "127.0.0.27", 2, "mx7-3.smtp.prober3.test")
	wantAddresses(t, p27, "pkgreewaa@victim.test", "eemioiyv@victim.test")
	// The random local part names the prober's primary host name, not its HELO.
	wantRandomProbe(t, p27.Events[0], "mx7.cloud.prober3.test", 47)

	// A plain callout: null sender, the forged address only.
	p28 := wantProber(t, r, "127.0.0.28", 2, "mx.prober4.test")
	wantAddresses(t, p28, "vbehmonmin@victim.test", "euiosvob@victim.test")
	if !slices.Equal(p28.Kinds, []string{ProbeNullSender}) {
		t.Errorf("127.0.0.28 kinds %v, want [%s]", p28.Kinds, ProbeNullSender)
	}

	wantNoProber(t, r, "127.0.0.50", "127.0.0.70", "127.0.0.120")
}

// postfixVerifySender is Postfix's default verification sender, with the
// base-31 time stamp that address_verify_sender_ttl appends.
var postfixVerifySender = regexp.MustCompile(`^double-bounce([0-9A-Z]{1,8})?@prober2\.test$`)

// The Exim victim was probed by the Postfix prober with its verification
// sender double-bounce@prober2.test: two rejected, one accepted (visible only
// through +smtp_incomplete_transaction); then with the time-stamped sender
// double-bounceXXXX@ and with postmaster@. Five connections: Exim's default
// line carries no pid, so they are told apart by their "incomplete
// transaction (RSET)" lines, the time between them and the change of sender.
func checkEximVictim(t *testing.T, r *Report) {
	t.Helper()
	p := wantProber(t, r, "127.0.0.26", 5, "mx.prober2.test")
	if !slices.Contains(p.Kinds, ProbePostfixVerify) {
		t.Errorf("127.0.0.26 kinds %v, want %s", p.Kinds, ProbePostfixVerify)
	}
	for _, e := range p.Events {
		if e.Kind == ProbePostfixVerify && !postfixVerifySender.MatchString(e.Sender) {
			t.Errorf("postfix-verify probe with sender %q", e.Sender)
		}
	}
	wantAddresses(t, p, "hjkyu@victim2.test", "zqwerty@victim2.test", "erin@victim2.test",
		"otjllo@victim2.test", "akuolsymwt@victim2.test")
	wantNoProber(t, r, "127.0.0.60")
}

// The probers' own logs hold the other half: the spam forging victim.test
// senders, from outside victim.test's networks.
func checkEximProbers(t *testing.T, r *Report) {
	t.Helper()
	wantNoProber(t, r, "127.0.0.101", "127.0.0.102", "127.0.0.103", "127.0.0.104", "127.0.0.105", "127.0.0.106",
		"127.0.0.107", "127.0.0.108")
	wantForged(t, r, map[string][]string{
		"keerheior@victim.test":  {"127.0.0.101", "127.0.0.103"},
		"anecowuutp@victim.test": {"127.0.0.102"},
		"alice@victim.test":      {"127.0.0.104"},
		"pkgreewaa@victim.test":  {"127.0.0.105"},
		"eemioiyv@victim.test":   {"127.0.0.106"},
		"vbehmonmin@victim.test": {"127.0.0.107"},
		"euiosvob@victim.test":   {"127.0.0.108"},
	})
}

func checkPostfixProber(t *testing.T, r *Report) {
	t.Helper()
	wantForged(t, r, map[string][]string{
		"hjkyu@victim2.test":   {"127.0.0.111"},
		"zqwerty@victim2.test": {"127.0.0.112"},
		"erin@victim2.test":    {"127.0.0.113"},
	})
}

// All logs together: both halves, and links from each probe to the spam
// that forged the probed address, seconds before. The spam to 127.0.0.27 is
// stamped by that prober's own clock, 47 s slow, so its links show 47 s.
//
// The Postfix prober logs the rejected spam only after its verification
// probe has come back (3 s later here), so in the logs the forgery follows
// the probe: the link dates it from the spam's session (its connect), a
// second or two before the probe. Erin's spam was accepted, and its queue
// lines carry no session: its use is logged 3 s after the probe, within
// verifyLag.
func checkAll(t *testing.T, r *Report) {
	t.Helper()
	checkPostfixVictim(t, r)
	checkEximVictim(t, r)
	checkEximProbers(t, r)
	delay := map[string]float64{}
	for _, l := range r.Campaign.Links {
		delay[l.ProberIP+" "+l.Address] = l.DelaySec
	}
	want := map[string]float64{
		"127.0.0.25 keerheior@victim.test": 0, "127.0.0.25 anecowuutp@victim.test": 0,
		"127.0.0.27 pkgreewaa@victim.test": 47, "127.0.0.27 eemioiyv@victim.test": 47,
		"127.0.0.28 vbehmonmin@victim.test": 0, "127.0.0.28 euiosvob@victim.test": 0,
	}
	for k, w := range want {
		d, ok := delay[k]
		if !ok || d < w-1 || d > w+2 {
			t.Errorf("campaign link %s: delay %v s (found %v), want %v s; links: %+v", k, d, ok, w, r.Campaign.Links)
		}
	}
	for _, a := range []string{"hjkyu", "zqwerty", "otjllo", "akuolsymwt"} {
		k := "127.0.0.26 " + a + "@victim2.test"
		if d, ok := delay[k]; !ok || d < 0 || d > 3 {
			t.Errorf("campaign link %s: delay %v s (found %v), want 0-3 s from the spam's connect", k, d, ok)
		}
	}
	if d, ok := delay["127.0.0.26 erin@victim2.test"]; !ok || d < -verifyLag.Seconds() || d > 0 {
		t.Errorf("campaign link to erin's accepted spam: delay %v s (found %v), want within -%v..0", d, ok, verifyLag)
	}
}

func wantProber(t *testing.T, r *Report, ip string, probes int, helo string) *Prober {
	t.Helper()
	for i := range r.Probers {
		p := &r.Probers[i]
		if p.IP != ip {
			continue
		}
		if probes > 0 && p.Probes != probes {
			t.Errorf("prober %s: %d probes, want %d", ip, p.Probes, probes)
		}
		if !slices.Contains(p.HeloNames, helo) {
			t.Errorf("prober %s: HELO names %v, want %s", ip, p.HeloNames, helo)
		}
		if len(p.Events) == 0 {
			t.Fatalf("prober %s has no events", ip)
		}
		return p
	}
	t.Fatalf("prober %s not found among %d", ip, len(r.Probers))
	return nil
}

func wantNoProber(t *testing.T, r *Report, ips ...string) {
	t.Helper()
	for _, p := range r.Probers {
		if slices.Contains(ips, p.IP) {
			t.Errorf("%s sent ordinary mail, reported as a prober (%v)", p.IP, p.Kinds)
		}
	}
}

func wantAddresses(t *testing.T, p *Prober, addrs ...string) {
	t.Helper()
	for _, a := range addrs {
		if !slices.Contains(p.ProbedAddresses, a) {
			t.Errorf("prober %s probed %v, want %s among them", p.IP, p.ProbedAddresses, a)
		}
	}
}

// randomLocal is Exim's default callout_random_local_part,
// "$primary_hostname-$tod_epoch-testing" (src/globals.c).
var randomLocal = regexp.MustCompile(`^(.+)-(\d+)-testing@`)

// wantRandomProbe checks an exim-random probe: the host name and epoch in
// its random local part, the decoded epoch and the skew (log time minus the
// prober's clock), within a second of capture jitter.
func wantRandomProbe(t *testing.T, e Probe, host string, skew float64) {
	t.Helper()
	if e.Kind != ProbeEximRandom {
		t.Fatalf("%s probe at %s: kind %s, want %s", e.IP, e.Time, e.Kind, ProbeEximRandom)
	}
	var epoch int64 = -1
	for _, rc := range e.Recipients {
		if m := randomLocal.FindStringSubmatch(rc); m != nil {
			if m[1] != host {
				t.Errorf("random local part %s names %s, want %s", rc, m[1], host)
			}
			epoch, _ = strconv.ParseInt(m[2], 10, 64)
		}
	}
	if epoch < 0 || e.Epoch == nil || e.Epoch.Unix() != epoch {
		t.Fatalf("%s: epoch %d not decoded: %v", e.IP, epoch, e.Epoch)
	}
	if e.SkewSec == nil || *e.SkewSec < skew-1 || *e.SkewSec > skew+1 {
		t.Errorf("%s: skew %v, want %v s", e.IP, e.SkewSec, skew)
	}
	if got := e.Time.Sub(*e.Epoch).Seconds(); got < skew-1 || got > skew+1 {
		t.Errorf("%s: log time %s minus epoch %s = %v s, want %v", e.IP, e.Time, e.Epoch, got, skew)
	}
}

func wantForged(t *testing.T, r *Report, want map[string][]string) {
	t.Helper()
	got := map[string][]string{}
	for _, f := range r.Campaign.ForgedSenders {
		got[f.Address] = f.Clients
	}
	for addr, clients := range want {
		c, ok := got[addr]
		if !ok {
			t.Errorf("forged sender %s not found; got %v", addr, got)
			continue
		}
		if !slices.Equal(c, clients) {
			t.Errorf("forged sender %s: clients %v, want %v", addr, c, clients)
		}
	}
	for addr, c := range got {
		for _, own := range []string{"127.0.0.35", "127.0.0.45", "127.0.0.50", "127.0.0.60"} {
			if slices.Contains(c, own) {
				t.Errorf("forged sender %s lists own host %s", addr, own)
			}
		}
	}
}

// TestRealMTAEximVictimSenders wants the Postfix prober's three sender
// forms told apart in the Exim victim's log. Exim's default log lines carry
// no pid or connection id, so this depends on the scanner splitting Exim
// sessions at their boundaries ("incomplete transaction (RSET)", a new F=).
func TestRealMTAEximVictimSenders(t *testing.T) {
	r := scanMTA(t, mtaCase{logs: []string{"exim-victim.log"}, domains: []string{"victim2.test"}, networks: victim2Nets})
	p := wantProber(t, r, "127.0.0.26", 0, "mx.prober2.test")
	senders := map[string]string{}
	for _, e := range p.Events {
		senders[e.Sender] = e.Kind
	}
	if len(p.Events) != 5 {
		t.Errorf("%d probe(s) from 127.0.0.26 where the log holds 5 connections; senders seen %v", len(p.Events), senders)
	}
	stamped := ""
	for s := range senders {
		if s != "double-bounce@prober2.test" && postfixVerifySender.MatchString(s) {
			stamped = s
		}
	}
	if senders["double-bounce@prober2.test"] != ProbePostfixVerify || senders[stamped] != ProbePostfixVerify {
		t.Errorf("want postfix-verify probes from double-bounce@ and double-bounceXXXX@prober2.test, got %v", senders)
	}
	if senders["postmaster@prober2.test"] != ProbePostmaster {
		t.Errorf("want a %s probe from postmaster@prober2.test, got %v", ProbePostmaster, senders)
	}
}

func findSuspect(r *Report, ip string) *Suspect {
	for i := range r.Suspects {
		if r.Suspects[i].IP == ip {
			return &r.Suspects[i]
		}
	}
	return nil
}
