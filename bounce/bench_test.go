package bounce

import (
	"bytes"
	"context"
	"io"
	"net/mail"
	"os"
	"path/filepath"
	"testing"
)

// sisimaiSet is the whole set of real bounces, beside the checkout.
func sisimaiSet(b *testing.B) string {
	dir := filepath.Join("..", "..", "shared", "bounces", "sisimai-set-of-emails")
	if _, err := os.Stat(dir); err != nil {
		b.Skip(err)
	}
	return dir
}

// BenchmarkWholeSet reads the 623 bounces of the sisimai set and
// classifies every failure: what `dnsblaudit bounce` does.
func BenchmarkWholeSet(b *testing.B) {
	dir := sisimaiSet(b)
	cls := NewClassifier(nil, nil)
	for b.Loop() {
		if _, err := ReadPaths(context.Background(), []string{dir}, cls); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWholeSetReference is the reference for BenchmarkWholeSet's
// ratio: the same files read and their headers parsed by net/mail, the
// least any reader of bounces must do.
func BenchmarkWholeSetReference(b *testing.B) {
	files, problems := expand(sisimaiSet(b))
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	for b.Loop() {
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			if m, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
				_, _ = io.Copy(io.Discard, m.Body)
			}
		}
	}
}
