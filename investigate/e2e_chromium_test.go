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
