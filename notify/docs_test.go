package notify_test

import (
	"os"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/config"
)

// The configuration example in docs/notify.md must stay valid.
func TestDocsExampleConfig(t *testing.T) {
	doc, err := os.ReadFile("../docs/notify.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "```yaml\nnotify:")
	if start < 0 {
		t.Fatal("no yaml example in docs/notify.md")
	}
	block := text[start+len("```yaml\n"):]
	block = block[:strings.Index(block, "```")]
	cfg, err := config.Parse("docs/notify.md", []byte(block))
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.Notify.WithDefaults()
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if n.SMTP.PasswordEnv != "DNSBLAUDIT_SMTP_PASSWORD" || len(n.Suppress) != 2 {
		t.Errorf("parsed %+v", n)
	}
}
