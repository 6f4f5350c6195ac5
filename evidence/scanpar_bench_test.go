package evidence

import (
	"context"
	"os"
	"testing"
	"time"
)

// BenchmarkScanParallel is the whole scan with the default workers, as
// `dnsblaudit evidence scan` runs it: its ns/op is wall time.
func BenchmarkScanParallel(b *testing.B) {
	p := os.Getenv("EVIDENCE_BENCH_LOG")
	if p == "" {
		b.Skip("EVIDENCE_BENCH_LOG not set")
	}
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	for b.Loop() {
		o := ScanOptions{Inputs: []string{p}, Domains: []string{"victim.example"}, Zone: time.UTC}
		if _, err := Scan(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}
