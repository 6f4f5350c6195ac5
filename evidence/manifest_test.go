package evidence

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// manifestCase is one row of testdata/mta/scenarios.md's table "Per log:
// how to scan it and what a correct report holds". The lists are copied
// from that table, which was written from what the capture scripts sent
// (their transcripts), never from this package's output.
type manifestCase struct {
	logs      []string
	domains   []string
	networks  []string
	probers   []string
	suspects  []string
	notProber []string
	yearRef   time.Time
}

var innocentNets = []string{"127.0.1.0/24"}

var innocentNotProbers = []string{"127.0.1.40", "127.0.1.41", "127.0.1.50", "127.0.2.40", "127.0.2.60", "127.0.3.10", "127.0.3.11",
	"127.0.3.20", "127.0.3.21", "127.0.3.50", "127.0.3.51", "127.0.3.52"}

var manifestCases = map[string]manifestCase{
	"postfix-innocent": {logs: []string{"postfix-innocent.log"}, domains: []string{"victim.test"}, networks: innocentNets,
		probers: []string{"127.0.2.25", "127.0.2.26"}, notProber: innocentNotProbers},
	"postfix-ports": {logs: []string{"postfix-ports.log"}, domains: []string{"victim3.test"}, networks: innocentNets,
		probers:   []string{"127.0.2.25", "127.0.2.26"},
		notProber: []string{"127.0.2.60", "127.0.3.10", "127.0.3.11", "127.0.3.20", "127.0.3.21", "127.0.3.50", "127.0.3.51", "127.0.3.52"}},
	"rotated": {logs: []string{"rotated/maillog*"}, domains: []string{"victim.test"}, networks: innocentNets,
		probers: []string{"127.0.2.25", "127.0.2.26"}, notProber: innocentNotProbers},
	"rotated10": {logs: []string{"rotated10/maillog*"}, domains: []string{"victim.test"}, networks: innocentNets,
		probers: []string{"127.0.2.25", "127.0.2.26"}, notProber: innocentNotProbers},
	"multihost": {logs: []string{"multihost.log"}, domains: []string{"victim5.test"}, networks: innocentNets,
		probers: []string{"127.0.2.25"}, notProber: []string{"127.0.2.60"}},
	"exim-plain": {logs: []string{"exim-plain.log"}, domains: []string{"victim2.test"}, networks: innocentNets,
		probers: []string{"127.0.2.25", "127.0.2.27"}, notProber: []string{"127.0.2.60", "127.0.3.50", "127.0.3.51", "127.0.3.52"}},
	"exim-pid": {logs: []string{"exim-pid.log"}, domains: []string{"victim4.test"}, networks: innocentNets,
		probers: []string{"127.0.2.25", "127.0.2.27"}, notProber: []string{"127.0.2.60", "127.0.3.50", "127.0.3.51", "127.0.3.52"}},
	"postfix-gateway": {logs: []string{"postfix-gateway.log"}, domains: []string{"victim.test"}, networks: innocentNets,
		notProber: []string{"127.0.2.60"}},
	"exim-remote": {logs: []string{"exim-remote1.log", "exim-remote2.log"}, domains: []string{"remote1.test", "remote2.test"}, networks: []string{"127.0.5.0/24"},
		probers: []string{"127.0.4.45"}, suspects: []string{"127.0.4.35"}, notProber: []string{"127.0.4.36", "127.0.4.50"}},
	"postfix-farm": {logs: []string{"postfix-farm.log"}, domains: []string{"victim6.test"}, networks: []string{"127.0.7.0/24"},
		probers: []string{"127.0.8.25", "127.0.8.26", "127.0.8.27"}},
	"postfix-yeargap": {logs: []string{"postfix-yeargap.log"}, domains: []string{"victim7.test"}, networks: []string{"127.0.7.0/24"},
		probers: []string{"127.0.8.40"}, yearRef: time.Date(2026, 8, 14, 12, 0, 0, 0, time.UTC)},
}

func TestManifestVerdicts(t *testing.T) {
	for name, c := range manifestCases {
		t.Run(name, func(t *testing.T) {
			rep := scanManifest(t, c)
			for _, ip := range c.probers {
				if findProber(rep, ip) == nil {
					t.Errorf("%s: not among the probers; suspect: %+v", ip, suspectWhy(rep, ip))
				}
			}
			for _, ip := range append(append([]string{}, c.suspects...), c.notProber...) {
				if p := findProber(rep, ip); p != nil {
					t.Errorf("%s accused: rule %s, %q", ip, p.Rule, p.Events[0].Reason)
				}
			}
			for _, ip := range c.suspects {
				if findSuspect(rep, ip) == nil {
					t.Errorf("%s: not among the suspects", ip)
				}
			}
		})
	}
}

func scanManifest(t *testing.T, c manifestCase) *Report {
	t.Helper()
	var in []string
	for _, l := range c.logs {
		in = append(in, filepath.Join(mtaDir, l))
	}
	ref := mtaCapture
	if !c.yearRef.IsZero() {
		ref = c.yearRef
	}
	rep, err := Scan(context.Background(), ScanOptions{Inputs: in, Domains: c.domains, OwnNetworks: c.networks, Zone: time.UTC, YearReference: ref})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Malformed != 0 {
		var bad []string
		for _, f := range rep.Stats.Files {
			for _, l := range f.FirstBad {
				bad = append(bad, l.Raw)
			}
		}
		t.Errorf("%d malformed lines: %s", rep.Stats.Malformed, strings.Join(bad, "\n"))
	}
	return rep
}

func suspectWhy(r *Report, ip string) map[string]int {
	if s := findSuspect(r, ip); s != nil {
		return s.NotAccused
	}
	return nil
}

// postfix-yeargap.log: every probe in 2026 (the manifest: January lines,
// then August lines after a seven-month gap; the random parts' epochs
// 1768204805 and 1786699818 say so).
func TestManifestYearGap(t *testing.T) {
	rep := scanManifest(t, manifestCases["postfix-yeargap"])
	p := findProber(rep, "127.0.8.40")
	if p == nil {
		t.Fatal("no prober")
	}
	if p.FirstSeen.Year() != 2026 || p.LastSeen.Year() != 2026 || p.FirstSeen.Month() != time.January || p.LastSeen.Month() != time.August {
		t.Errorf("probes from %v to %v, want January to August 2026", p.FirstSeen, p.LastSeen)
	}
	for _, e := range p.Events {
		if e.Epoch != nil && e.Epoch.Sub(e.Time).Abs() > time.Hour {
			t.Errorf("probe at %v, its epoch says %v", e.Time, e.Epoch)
		}
	}
}

// The farm's nodes share the random local part form mx42.farm.test-…,
// the /24 and the HELO family; each node is convicted by the random part.
// The rotation split and the port-logging log give the innocent log's
// probers.
func TestManifestSameProbersAcrossShapes(t *testing.T) {
	ips := func(r *Report) string {
		var out []string
		for _, p := range r.Probers {
			out = append(out, p.IP+" "+p.Rule)
		}
		return strings.Join(out, ",")
	}
	plain := ips(scanManifest(t, manifestCases["postfix-innocent"]))
	for _, name := range []string{"rotated", "rotated10", "postfix-ports"} {
		if got := ips(scanManifest(t, manifestCases[name])); got != plain {
			t.Errorf("%s: probers %s, want %s as in the single file", name, got, plain)
		}
	}
}

// Scanned with a reference that puts the yeargap log's January lines a
// year off (December 2026), the random parts' epochs give it away.
func TestEpochCrossChecksTheYear(t *testing.T) {
	c := manifestCases["postfix-yeargap"]
	c.yearRef = time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC) // August read as 2026, January as 2027
	rep := scanManifest(t, c)
	found := false
	for _, w := range rep.Stats.Warnings {
		found = found || strings.Contains(w, "carries the epoch")
	}
	if !found {
		t.Errorf("no epoch warning among %q", rep.Stats.Warnings)
	}
}
