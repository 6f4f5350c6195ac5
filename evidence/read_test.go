package evidence

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const probeLines = `Nov 27 05:42:16 mx postfix/smtpd[23998]: connect from unknown[192.0.2.25]
Nov 27 05:42:16 mx postfix/smtpd[23998]: NOQUEUE: reject: RCPT from unknown[192.0.2.25]: 550 5.1.1 <mx42.prober.test-1795758136-testing@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<mx42.prober.test-1795758136-testing@victim.test> proto=ESMTP helo=<mx42.prober.test>
Nov 27 05:42:16 mx postfix/smtpd[23998]: disconnect from unknown[192.0.2.25] ehlo=2 starttls=1 mail=2 rcpt=0/2 rset=1 quit=1 commands=7/9
`

func scanOpts(inputs ...string) ScanOptions {
	return ScanOptions{Inputs: inputs, Domains: []string{"victim.test"}, Zone: time.UTC,
		YearReference: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestScanGzipByMagicAndGlob(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "maillog.1", gz(t, probeLines)) // compressed, no .gz in the name
	writeFile(t, dir, "maillog.2.gz", gz(t, probeLines))
	writeFile(t, dir, "maillog", []byte(probeLines))
	rep, err := Scan(context.Background(), scanOpts(filepath.Join(dir, "maillog*"), filepath.Join(dir, "maillog")))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Stats.Files) != 3 {
		t.Fatalf("files = %+v, want 3 (a file named twice is read once)", rep.Stats.Files)
	}
	if c := rep.Stats.Files[1].Compression; c != "gzip" {
		t.Errorf("maillog.1 compression = %q, want gzip by magic bytes", c)
	}
	if len(rep.Probers) != 1 || rep.Probers[0].Probes != 1 {
		t.Fatalf("probers = %+v, want one prober with one merged probe", rep.Probers)
	}
	if n := len(rep.Probers[0].Events[0].Lines); n < 3 {
		t.Errorf("merged probe keeps %d lines of evidence", n)
	}
}

func TestScanStdin(t *testing.T) {
	o := scanOpts("-")
	o.Stdin = strings.NewReader(probeLines)
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Probers) != 1 || rep.Probers[0].Events[0].Lines[0].File != "-" {
		t.Fatalf("stdin: %+v", rep.Probers)
	}
}

func TestScanLongLinesAreMalformedNotFatal(t *testing.T) {
	dir := t.TempDir()
	long := "Nov 27 05:42:16 mx postfix/smtpd[1]: " + strings.Repeat("x", 300<<10) + "\n"
	medium := "Nov 27 05:42:16 mx postfix/smtpd[1]: " + strings.Repeat("y", 2000) + "\n"
	p := writeFile(t, dir, "maillog", []byte(probeLines+long+medium+probeLines))
	o := scanOpts(p)
	o.MaxLineBytes = 1024
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	fs := rep.Stats.Files[0]
	if fs.Lines != 8 || fs.Malformed != 2 {
		t.Fatalf("lines=%d malformed=%d, want 8 and 2: %+v", fs.Lines, fs.Malformed, fs.FirstBad)
	}
	if fs.FirstBad[0].Line != 4 || fs.FirstBad[1].Line != 5 {
		t.Errorf("bad lines at %d and %d, want 4 and 5", fs.FirstBad[0].Line, fs.FirstBad[1].Line)
	}
	last := rep.Probers[0].Events[len(rep.Probers[0].Events)-1].Lines
	if last[len(last)-1].Line != 8 {
		t.Errorf("line numbers after a long line are off: %+v", last)
	}
}

func TestScanNoInput(t *testing.T) {
	dir := t.TempDir()
	rep, err := Scan(context.Background(), scanOpts(filepath.Join(dir, "missing"), filepath.Join(dir, "none*")))
	if !errors.Is(err, ErrNoInput) {
		t.Fatalf("err = %v, want ErrNoInput", err)
	}
	if rep == nil || len(rep.Stats.Files) != 2 || rep.Stats.Files[0].Error == "" || rep.Stats.Files[1].Error == "" {
		t.Fatalf("unreadable inputs must be reported: %+v", rep)
	}
	if _, err := Scan(context.Background(), ScanOptions{}); !errors.Is(err, ErrBadOption) {
		t.Errorf("no inputs: %v, want ErrBadOption", err)
	}
	if _, err := Scan(context.Background(), ScanOptions{Inputs: []string{"-"}, OwnNetworks: []string{"10.0.0.0/33"}}); !errors.Is(err, ErrBadOption) {
		t.Errorf("bad network: %v, want ErrBadOption", err)
	}
}

func TestScanUnsupportedCompression(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "maillog.zst", []byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0})
	rep, err := Scan(context.Background(), scanOpts(p))
	if !errors.Is(err, ErrNoInput) || !strings.Contains(rep.Stats.Files[0].Error, "zstd") {
		t.Fatalf("err=%v files=%+v", err, rep.Stats.Files)
	}
}

func TestScanSinceUntil(t *testing.T) {
	o := scanOpts("-")
	o.Stdin = strings.NewReader(probeLines)
	o.Since = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Probers) != 0 || rep.Stats.Skipped != 3 || rep.Since == nil {
		t.Fatalf("since: probers=%d skipped=%d", len(rep.Probers), rep.Stats.Skipped)
	}
}

func TestScanFormatOverride(t *testing.T) {
	// A Postfix started with a custom syslog_name the tag rules do not know.
	lines := strings.ReplaceAll(probeLines, "postfix/smtpd", "mta-in/smtpd")
	o := scanOpts("-")
	o.Stdin = strings.NewReader(lines)
	rep, _ := Scan(context.Background(), o)
	if len(rep.Probers) != 0 || rep.Stats.Unknown != 3 {
		t.Fatalf("without override: probers=%d unknown=%d", len(rep.Probers), rep.Stats.Unknown)
	}
	o.Stdin = strings.NewReader(lines)
	o.Format = FormatPostfix
	rep, err := Scan(context.Background(), o)
	if err != nil || len(rep.Probers) != 1 {
		t.Fatalf("with override: %v %+v", err, rep.Stats)
	}
}

func TestScanCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	o := scanOpts("-")
	o.Stdin = strings.NewReader(strings.Repeat(probeLines, 1000))
	if _, err := Scan(ctx, o); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestChunkReaderKeepsLinesWhole(t *testing.T) {
	var b strings.Builder
	for i := range 5000 {
		b.WriteString(strings.Repeat("a", i%97))
		b.WriteByte('\n')
	}
	b.WriteString("last line without newline")
	cr := newChunkReader(strings.NewReader(b.String()), 4096)
	var got strings.Builder
	for {
		ch, ok, err := cr.next()
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		got.Write(ch.data)
	}
	if got.String() != b.String() {
		t.Fatal("chunks do not add up to the input")
	}
}

func TestScanBzip2ByMagic(t *testing.T) {
	rep, err := Scan(context.Background(), ScanOptions{Inputs: []string{"testdata/08-article-spamd.log.1.bz2"},
		Domains: []string{"bsdly.com"}, Zone: time.UTC, YearReference: time.Date(2017, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Files[0].Compression != "bzip2" || len(rep.Probers) != 1 || rep.Probers[0].IP != "207.244.64.181" {
		t.Fatalf("bzip2: %+v %+v", rep.Stats.Files, rep.Probers)
	}
}

// TestLineNumbersAcrossChunks: workers number lines within their chunk and
// the consumer rebases them; bad lines and evidence deep in a file, after
// an over-long line, keep the file's line numbers.
func TestLineNumbersAcrossChunks(t *testing.T) {
	var b strings.Builder
	ok := "Jan  3 00:00:00 mx1 postfix/qmgr[900]: 4A1B2C3D01: removed\n"
	want := map[int]string{}
	for n := 1; n <= 3000; n++ {
		switch n {
		case 700:
			b.WriteString(strings.Repeat("x", 3000) + "\n")
			want[n] = "over-long"
		case 2500, 2999:
			b.WriteString("Jan  3 00:00:00 broken\n")
			want[n] = "malformed"
		default:
			b.WriteString(ok)
		}
	}
	o := ScanOptions{Inputs: []string{"-"}, Stdin: strings.NewReader(b.String()), Domains: []string{"victim.example"},
		Zone: time.UTC, Workers: 3, chunkSize: 2048, MaxLineBytes: 1024, MaxBadLines: 5}
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	fs := rep.Stats.Files[0]
	if fs.Lines != 3000 || len(fs.FirstBad) != len(want) {
		t.Fatalf("lines %d, bad %+v", fs.Lines, fs.FirstBad)
	}
	for _, l := range fs.FirstBad {
		if want[l.Line] == "" {
			t.Errorf("bad line reported at %d (%s), want one of %v", l.Line, l.Reason, want)
		}
	}
}
