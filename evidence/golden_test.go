package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.want.json from the current output")

// goldenCase scans inputs with fixed options and compares the JSON report
// with testdata/<name>.want.json.
type goldenCase struct {
	name     string
	inputs   []string
	domains  []string
	networks []string
	ref      time.Time
}

func oslo(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skipf("no zoneinfo: %v", err)
	}
	return loc
}

func TestGolden(t *testing.T) {
	loc := oslo(t)
	ref2017 := time.Date(2017, 12, 1, 0, 0, 0, 0, loc)
	ref2026 := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
	cases := []goldenCase{
		// The seed article: spamd's lines and the greylist dump.
		{"01-article", []string{"01-article-spamd.log", "02-article-spamdb.dump"}, []string{"bsdly.com", "bsdly.net"}, nil, ref2017},
		{"03-postfix", []string{"03-postfix.log"}, []string{"victim.test"}, []string{"10.0.0.0/8"}, ref2026},
		{"04-exim", []string{"04-exim-mainlog.log"}, []string{"victim2.test", "lists.infradead.org"}, []string{"127.0.0.26"}, ref2026},
		{"05-sendmail", []string{"05-sendmail.log"}, []string{"example.com"}, nil, ref2026},
		{"06-opensmtpd", []string{"06-opensmtpd.log"}, []string{"blunix.com", "ix.example.com"}, []string{"127.0.0.0/8"}, ref2026},
		// New Year inside a mixed maillog (spamd, Postfix, Sendmail).
		{"07-mixed", []string{"07-mixed-maillog.log"}, []string{"victim.test"}, []string{"10.0.0.0/8"}, time.Date(2027, 1, 2, 0, 0, 0, 0, loc)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var in []string
			for _, f := range tc.inputs {
				in = append(in, filepath.Join("testdata", f))
			}
			got := goldenScan(t, ScanOptions{Inputs: in, Domains: tc.domains, OwnNetworks: tc.networks,
				Zone: loc, YearReference: tc.ref, Workers: 2})
			// Tiny read buffers: sessions straddle buffers, which are reused.
			small := goldenScan(t, ScanOptions{Inputs: in, Domains: tc.domains, OwnNetworks: tc.networks,
				Zone: loc, YearReference: tc.ref, Workers: 2, chunkSize: 1024})
			if !bytes.Equal(got, small) {
				t.Errorf("report with 1 KiB read buffers differs:\n%s", small)
			}
			wantFile := filepath.Join("testdata", tc.name+".want.json")
			if *update {
				if err := os.WriteFile(wantFile, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("report differs from %s; run with -update and review the diff\n%s", wantFile, got)
			}
		})
	}
}

func goldenScan(t *testing.T, o ScanOptions) []byte {
	t.Helper()
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	got, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(got, '\n')
}
