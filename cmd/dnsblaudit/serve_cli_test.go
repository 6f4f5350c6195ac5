//go:build unix

package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestServeCommand runs `serve --listen 127.0.0.1:0` as a process (the
// test binary re-executed), scrapes /metrics until the first background
// run shows, parses it, and stops the server with SIGTERM.
func TestServeCommand(t *testing.T) {
	cfg, _ := watchFixture(t)
	args := []string{"--config", cfg, "serve", "--listen", "127.0.0.1:0", "--interval", "1s"}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCLIChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCLIChild+"="+strings.Join(args, "\x1f"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("no listening line: %v", err)
	}
	_, url, ok := strings.Cut(strings.TrimSpace(line), "listening on ")
	if !ok {
		t.Fatalf("first line %q", line)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		if listed, ok := scrapeListed(t, url); ok {
			if listed != 1 {
				t.Errorf("dnsblaudit_listed{target=192.0.2.1,list=bl} = %v", listed)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no listing metric within 15s")
		}
		time.Sleep(100 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve still running 10s after SIGTERM")
	}
}

// scrapeListed returns dnsblaudit_listed for 192.0.2.1 on bl, if present.
func scrapeListed(t *testing.T, url string) (float64, bool) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	for _, m := range mfs["dnsblaudit_listed"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["target"] == "192.0.2.1" && labels["list"] == "bl" {
			return m.GetGauge().GetValue(), true
		}
	}
	return 0, false
}
