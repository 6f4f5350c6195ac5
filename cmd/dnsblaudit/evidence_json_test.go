package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// The streamed JSON is byte for byte what the encoder writes.
func TestEvidenceJSONStreamsLikeTheEncoder(t *testing.T) {
	for _, in := range [][]string{{"01-article-spamd.log", "02-article-spamdb.dump"}, {"07-mixed-maillog.log"}, {"06-opensmtpd.log"}} {
		var paths []string
		for _, f := range in {
			paths = append(paths, filepath.Join(articleDir, f))
		}
		since := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		rep, err := evidence.Scan(context.Background(), evidence.ScanOptions{Inputs: paths, Domains: []string{"bsdly.com", "victim.test", "blunix.com"},
			Zone: time.UTC, YearReference: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Since: since})
		if err != nil {
			t.Fatal(err)
		}
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			t.Fatal(err)
		}
		if err := writeEvidenceJSON(&got, rep); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%v: streamed JSON differs:\n%s\nwant\n%s", in, got.Bytes(), want.Bytes())
		}
	}
}
