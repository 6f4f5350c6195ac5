package outbound

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchLog writes about 20 MB of the real-shaped Postfix and Exim lines of
// lines_test.go, repeated.
func benchLog(b *testing.B) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "maillog")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	unit := backscatterPostfix + eximOutbound
	for w.Buffered() >= 0 {
		if fi, _ := f.Stat(); fi.Size() > 20<<20 {
			break
		}
		for i := 0; i < 100; i++ {
			w.WriteString(unit)
		}
		w.Flush()
	}
	f.Close()
	return p
}

// BenchmarkScanVsLineCount reads the same file with Scan and with a plain
// line loop that only looks for "status=" (a grep-like reference in the
// same process); the ratio of the two is the metric to watch.
func BenchmarkScanVsLineCount(b *testing.B) {
	p := benchLog(b)
	ref := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var scan, base time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		f, _ := os.Open(p)
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			if strings.Contains(sc.Text(), "status=") {
				n++
			}
		}
		f.Close()
		base += time.Since(t0)
		t0 = time.Now()
		if _, err := Scan(context.Background(), Options{Files: []string{p}, YearReference: ref}); err != nil {
			b.Fatal(err)
		}
		scan += time.Since(t0)
	}
	b.ReportMetric(float64(scan)/float64(base), "x-linecount")
}
