package investigate_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/smtptest"
)

// The demo's case, sent as reviewed: `notify --case DIR --send --yes`
// delivers the four callback notices investigate rendered, each exactly
// as the file reads, to a real SMTP server on loopback, and holds the
// listing-evidence draft, which has no recipient.
func TestDemoCaseSendsItsFiles(t *testing.T) {
	dir, _, c := demoCase(t)
	srv := smtptest.Start(t, smtptest.Options{})
	tmp := t.TempDir()
	cfg := filepath.Join(tmp, "config.yaml")
	conf := fmt.Sprintf("notify:\n  from: \"Example Postmaster <postmaster@example.com>\"\n  smtp:\n    host: %s\n    port: %d\n    tls: none\n", srv.Host, srv.Port)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, "--config", cfg, "--state", filepath.Join(tmp, "state.db"), "notify", "--case", dir, "--send", "--yes")
	if r.code != 1 || !strings.Contains(r.stdout, "4 sent, 1 held") {
		t.Fatalf("notify --case --send: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	got := srv.Messages(t)
	if len(got) != 4 {
		t.Fatalf("server got %d messages", len(got))
	}
	sent := 0
	for _, n := range c.Notices {
		if n.Kind != "callback-notice" {
			continue
		}
		want, err := os.ReadFile(filepath.Join(dir, n.File))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range got {
			if bytes.Equal(m.Data, want) && len(m.RcptTos) == 1 && m.RcptTos[0] == n.To[0] {
				sent++
			}
		}
	}
	if sent != 4 {
		t.Errorf("%d of the 4 callback notice files arrived byte for byte at their desks", sent)
	}
}
