package evidence

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// The demo's sample logs (testdata/demo/README.md tells their story).
const demoDir = "testdata/demo"

var demoT0 = time.Date(2026, 11, 20, 12, 49, 25, 0, time.UTC)

func scanDemo(t *testing.T, dir string) *Report {
	t.Helper()
	in := []string{filepath.Join(dir, "maillog"), filepath.Join(dir, "spamd.log"), filepath.Join(dir, "spamdb-*.dump")}
	r, err := Scan(context.Background(), ScanOptions{Inputs: in, Domains: []string{"example.com"},
		OwnNetworks: []string{"203.0.113.0/28"}, Zone: time.UTC,
		YearReference: time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC), Workers: 2})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	if r.Stats.Malformed != 0 || r.Stats.Unknown != 0 {
		t.Errorf("demo logs: %d malformed, %d unknown lines: %+v", r.Stats.Malformed, r.Stats.Unknown, r.Stats.Files)
	}
	return r
}

// The README's table of probers: probes, kind, and skew of the Exim ones.
func TestDemoStory(t *testing.T) {
	r := scanDemo(t, demoDir)
	want := []struct {
		ip    string
		n     int
		kind  string
		skew  float64
		where string
	}{
		{"192.0.2.65", 1, ProbeEximRandom, 1, "spamd"},
		{"192.0.2.66", 4, ProbeEximRandom, -2, ""},
		{"192.0.2.67", 4, ProbeEximRandom, 0, ""},
		{"192.0.2.70", 1, ProbeEximRandom, 3, "spamd"},
		{"192.0.2.71", 4, ProbeEximRandom, 0, ""},
		{"192.0.2.72", 5, ProbeEximRandom, -1, ""},
		{"192.0.2.73", 3, ProbeEximRandom, 37, ""},
		{"2001:db8:f1::25", 3, ProbeEximRandom, 2, ""},
		{"198.51.100.40", 1, ProbeEximRandom, -5, "spamd"},
		{"203.0.113.200", 2, ProbeEximRandom, 1, ""},
		{"198.51.100.77", 4, ProbePostfixVerify, 0, ""},
		{"192.0.2.200", 2, ProbeSmfSav, 0, ""},
	}
	first := time.Time{}
	for _, w := range want {
		p := findProber(r, w.ip)
		if p == nil {
			t.Errorf("prober %s not found", w.ip)
			continue
		}
		if p.Probes != w.n || !slices.Contains(p.Kinds, w.kind) {
			t.Errorf("prober %s: %d probes %v, want %d %s", w.ip, p.Probes, p.Kinds, w.n, w.kind)
		}
		if w.kind == ProbeEximRandom {
			e := p.Events[0]
			if e.Kind != ProbeEximRandom || e.SkewSec == nil || *e.SkewSec != w.skew {
				t.Errorf("prober %s: first probe %s skew %v, want exim-random with %v s", w.ip, e.Kind, e.SkewSec, w.skew)
			}
		}
		if first.IsZero() || p.FirstSeen.Before(first) {
			first = p.FirstSeen
		}
	}
	if d := first.Sub(demoT0); d != 41*time.Second {
		t.Errorf("first probe at T0%+v, want T0+41s", d)
	}
	// Exactly the README's probers: 12 hosts, 34 probes; not the bounce
	// host, not the ordinary senders, not the greylisted newcomer.
	total := 0
	for _, p := range r.Probers {
		total += p.Probes
	}
	if len(r.Probers) != len(want) || total != 34 {
		var ips []string
		for _, p := range r.Probers {
			ips = append(ips, p.IP)
		}
		t.Errorf("%d probers with %d probes %v, want the README's 12 with 34", len(r.Probers), total, ips)
	}
	wantDemoBackscatter(t, r)
	wantDemoForged(t, r)
}

// The bounce of a spam forging otjllo@example.com, tried at mx at 14:21,
// 14:37, 15:08 and at gw at 14:24, 14:55: backscatter, five attempts from
// one host, not a callout.
func wantDemoBackscatter(t *testing.T, r *Report) {
	t.Helper()
	bs := r.Campaign.Backscatter
	first := time.Date(2026, 11, 20, 14, 21, 25, 0, time.UTC)
	if len(bs) != 1 || bs[0].Address != "otjllo@example.com" || bs[0].Count != 5 ||
		!slices.Equal(bs[0].Clients, []string{"198.51.100.99"}) || !bs[0].FirstSeen.Equal(first) {
		t.Errorf("backscatter %+v, want otjllo@example.com from 198.51.100.99, 5 attempts from %v", bs, first)
	}
	if p := findProber(r, "198.51.100.99"); p != nil {
		t.Errorf("the bounce host is reported as a prober: %d probes %v", p.Probes, p.Kinds)
	}
}

// nocallouts: the same spam, and nothing for a callback explanation.
func TestDemoNoCallouts(t *testing.T) {
	r := scanDemo(t, filepath.Join(demoDir, "nocallouts"))
	if len(r.Probers) != 0 {
		t.Errorf("%d probers in the no-callouts logs, first %s %v", len(r.Probers), r.Probers[0].IP, r.Probers[0].Kinds)
	}
	if len(r.Campaign.Links) != 0 {
		t.Errorf("links without probes: %+v", r.Campaign.Links)
	}
	if len(r.Campaign.Backscatter) != 0 {
		t.Errorf("backscatter in logs without it: %+v", r.Campaign.Backscatter)
	}
	wantDemoForged(t, r)
}

func wantDemoForged(t *testing.T, r *Report) {
	t.Helper()
	firstUse := map[string]time.Duration{"keerheior": 0, "anecowuutp": 7 * time.Minute, "pkgreewaa": 18 * time.Minute,
		"eemioiyv": 31 * time.Minute, "vbehmonmin": 46 * time.Minute, "euiosvob": 64 * time.Minute,
		"otjllo": 83 * time.Minute, "akuolsymwt": 101 * time.Minute}
	// Lines that use each address (gen.go campaign): two greylisted
	// attempts, each one (GREY) line in spamd.log and one entry repeated
	// by every hourly dump, counted once; a Postfix reject, and one with
	// two recipients (two lines); the trapped attempt's (BLACK) line
	// (anecowuutp, vbehmonmin, akuolsymwt); a copy that got through
	// (pkgreewaa, euiosvob).
	uses := map[string]int{"keerheior": 5, "anecowuutp": 6, "pkgreewaa": 6, "eemioiyv": 5,
		"vbehmonmin": 6, "euiosvob": 6, "otjllo": 5, "akuolsymwt": 6}
	got := map[string]time.Time{}
	count := map[string]int{}
	for _, f := range r.Campaign.ForgedSenders {
		got[f.Address] = f.FirstSeen
		count[f.Address] = f.Count
	}
	for local, d := range firstUse {
		a := local + "@example.com"
		if at, ok := got[a]; !ok || !at.Equal(demoT0.Add(d)) {
			t.Errorf("forged sender %s first seen %v (found %v), want T0+%v", a, at, ok, d)
		}
		if count[a] != uses[local] {
			t.Errorf("forged sender %s used %d times, want %d", a, count[a], uses[local])
		}
	}
	if len(got) != len(firstUse) {
		t.Errorf("forged senders %v, want the %d of the campaign", got, len(firstUse))
	}
}

func findProber(r *Report, ip string) *Prober {
	for i := range r.Probers {
		if r.Probers[i].IP == ip {
			return &r.Probers[i]
		}
	}
	return nil
}

// The committed demo logs are exactly what the generator writes.
func TestDemoDataReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the generator")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run testdata/demo/gen")
	}
	out := t.TempDir()
	cmd := exec.Command(goBin, "run", "./"+filepath.Join(demoDir, "gen"), "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, b)
	}
	for _, sub := range []string{"", "nocallouts", "backscatter"} {
		files, _ := filepath.Glob(filepath.Join(out, sub, "*"))
		for _, f := range files {
			if st, err := os.Stat(f); err != nil || st.IsDir() {
				continue
			}
			got, _ := os.ReadFile(f)
			want, err := os.ReadFile(filepath.Join(demoDir, sub, filepath.Base(f)))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s differs from the generator's output (%v): re-run gen", filepath.Join(sub, filepath.Base(f)), err)
			}
		}
	}
}
