package investigate

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

type fakeNotices struct{}

func (fakeNotices) RenderNotices(_ context.Context, dir string, c *Case) ([]Notice, error) {
	var out []Notice
	for _, pc := range c.Contacts {
		if len(pc.Contacts) == 0 {
			continue
		}
		name := filepath.Join(NoticesDir, pc.IP+".eml")
		out = append(out, Notice{File: name, Kind: "callback", To: []string{pc.Contacts[0].Address}, Subject: "SMTP callbacks from " + pc.IP, About: []string{pc.IP}})
	}
	return out, nil
}

func TestWriteDir(t *testing.T) {
	c, _ := storyCase(14)
	c.Evidence.Probers[0].HeloNames = []string{"<script>alert(1)</script>\x1b[2J"}
	dir := t.TempDir()
	if err := WriteDir(context.Background(), dir, c, fakeNotices{}); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(filepath.Join(dir, CaseFile))
	if err != nil {
		t.Fatal(err)
	}
	if back.Schema != Schema || len(back.Notices) != 13 || back.Hypothesis.Verdict != Supported {
		t.Errorf("case.json: schema %q, %d notices, verdict %s", back.Schema, len(back.Notices), back.Hypothesis.Verdict)
	}
	html := read(t, filepath.Join(dir, HTMLFile))
	for _, want := range []string{"Content-Security-Policy", "default-src 'none'", "<svg", "other probers (3)", "listing start", "dictionary attacks", "&lt;script&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Contains(html, "<script") || strings.Contains(html, "\x1b") {
		t.Error("report.html carries a raw script tag or control character")
	}
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"?(https?:)?//`).FindString(html); m != "" {
		t.Errorf("report.html loads from the network: %s", m)
	}
	md := read(t, filepath.Join(dir, MarkdownFile))
	for _, want := range []string{"## Hypothesis: Callbacks explain the listing", "| keerheior@example.com |", "abuse@prober0.test", "\\<script\\>"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
