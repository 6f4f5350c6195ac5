package investigate_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromiumFlags keep a headless Chromium off the network and away from the
// user's profile: no background requests, no updates, no sync, a new
// profile per run.
var chromiumFlags = []string{
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-default-apps", "--disable-extensions", "--window-size=1280,2000",
}

// chromium finds the browser, or skips (fails under CI) when missing.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not installed (Debian package chromium); CI is set, so this is a failure")
	}
	t.Skip("chromium not installed (Debian package chromium): skipping the browser check of report.html")
	return ""
}

// openInChromium loads page in headless Chromium, saves a screenshot to
// shot and returns the DOM after rendering.
func openInChromium(t *testing.T, page, shot string) string {
	t.Helper()
	browser := chromium(t)
	url := "file://" + page
	browse := func(extra ...string) []byte {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		args := append(append([]string{}, chromiumFlags...), "--user-data-dir="+t.TempDir())
		args = append(append(args, extra...), url)
		cmd := exec.CommandContext(ctx, browser, args...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("chromium %v: %v", extra, err)
		}
		return out
	}
	browse("--screenshot=" + shot)
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 10000 {
		t.Fatalf("screenshot %s missing or empty: %v", shot, err)
	}
	return string(browse("--dump-dom"))
}

// networkRef finds a src or href that would load from the network.
var networkRef = regexp.MustCompile(`(?i)\b(src|href|xlink:href|action|srcset)\s*=\s*["']?\s*(https?:|//|ftp:)`)

// keepShot copies a screenshot where a person can look at it, when
// DNSBLAUDIT_E2E_SHOTS names a directory.
func keepShot(t *testing.T, shot string) {
	dir := os.Getenv("DNSBLAUDIT_E2E_SHOTS")
	if dir == "" {
		return
	}
	data, err := os.ReadFile(shot)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".png"), data, 0o644)
	}
	if err != nil {
		t.Logf("keeping screenshot: %v", err)
	}
}

// checkHTML checks report.html as a file (self-contained, nothing loaded
// from the network) and as Chromium renders it: the timeline drawn, the
// key facts on the page, a screenshot taken.
func checkHTML(t *testing.T, dir string, facts []string) {
	t.Helper()
	page := filepath.Join(dir, "report.html")
	raw, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	html := string(raw)
	if !strings.Contains(html, `http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"`) {
		t.Error("report.html has no Content-Security-Policy forbidding loads")
	}
	if m := networkRef.FindString(html); m != "" {
		t.Errorf("report.html refers to the network: %s", m)
	}
	shot := filepath.Join(t.TempDir(), "report.png")
	dom := openInChromium(t, page, shot)
	keepShot(t, shot)
	for _, want := range append([]string{`<svg`, `class="timeline"`, "listing start", "Timeline"}, facts...) {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	if m := networkRef.FindString(dom); m != "" {
		t.Errorf("rendered page refers to the network: %s", m)
	}
}
