package evidence

import (
	"context"
	"os"
	"testing"
	"time"
)

// The scan benchmarks read the log named by EVIDENCE_BENCH_LOG (make one
// with go run ./bench/evidence-gen -size 20000000 -o /tmp/maillog); the
// end-to-end comparison with grep is bench/evidence.sh.
func benchLog(b *testing.B) []byte {
	b.Helper()
	p := os.Getenv("EVIDENCE_BENCH_LOG")
	if p == "" {
		b.Skip("EVIDENCE_BENCH_LOG not set")
	}
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkParseChunk is the per-worker part: lines to events.
func BenchmarkParseChunk(b *testing.B) {
	data := benchLog(b)
	own := newDomainSet([]string{"victim.example"})
	b.SetBytes(int64(len(data)))
	var buf []Event
	for b.Loop() {
		for off := 0; off < len(data); {
			end := min(off+256<<10, len(data))
			for end < len(data) && data[end-1] != '\n' {
				end++
			}
			bt := parseChunk(FormatSyslog, "f", chunk{data: data[off:end]}, DefaultMaxLineBytes, 5, own, buf)
			buf = bt.events
			off = end
		}
	}
}

// BenchmarkScan is the whole scan on one worker: its ns/op is CPU time.
func BenchmarkScan(b *testing.B) {
	data := benchLog(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		o := ScanOptions{Inputs: []string{os.Getenv("EVIDENCE_BENCH_LOG")}, Domains: []string{"victim.example"},
			Zone: time.UTC, Workers: 1}
		if _, err := Scan(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
	_ = data
}
