package bounce

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: any bytes read as a file of bounces never panic, and every
// field shown to a person is one safe line.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.eml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("From x\nContent-Type: multipart/report; boundary=a\n\n--a\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b\nDiagnostic-Code: smtp; 550 blocked using zen.spamhaus.org\n--a--\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=a\n\n--a\n"))
	cls := NewClassifier(nil, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, msg := range SplitMessages(data) {
			for _, fl := range Parse(msg).Failures {
				r := cls.Classify(fl)
				for _, s := range []string{fl.Recipient, fl.Status, fl.RemoteMTA, fl.Diagnostic, r.ListedIP, r.ListedDomain, r.DelistURL} {
					if strings.ContainsAny(s, "\r\n\x00\x1b") {
						t.Fatalf("unsafe field %q", s)
					}
				}
				if r.Blocklisted && r.List == "" {
					t.Fatalf("blocklisted without a list: %+v", r)
				}
			}
		}
	})
}
