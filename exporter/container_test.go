package exporter

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// TestContainerfileRunsServeAsNonRoot reads the shipped container recipe
// (no image is built here: that needs a registry): its last stage must
// drop to a numeric non-root user, run serve, listen beyond the
// container's loopback, and keep the state on a volume that user owns.
func TestContainerfileRunsServeAsNonRoot(t *testing.T) {
	f, err := os.Open("../examples/container/Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stages [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "FROM ") {
			stages = append(stages, nil)
		}
		if len(stages) > 0 {
			stages[len(stages)-1] = append(stages[len(stages)-1], line)
		}
	}
	if len(stages) < 2 {
		t.Fatalf("want a build stage and a runtime stage, got %d", len(stages))
	}
	final := strings.Join(stages[len(stages)-1], "\n")
	user := ""
	for _, l := range stages[len(stages)-1] {
		if strings.HasPrefix(l, "USER ") {
			user = strings.TrimSpace(strings.TrimPrefix(l, "USER "))
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	if uid == "" || uid == "0" || uid == "root" || strings.Trim(uid, "0123456789") != "" {
		t.Errorf("final USER %q: want a numeric non-root uid (Kubernetes runAsNonRoot checks it)", user)
	}
	for _, want := range []string{`ENTRYPOINT ["/usr/local/bin/dnsblaudit", "serve"]`, "DNSBLAUDIT_LISTEN=0.0.0.0:9153",
		"DNSBLAUDIT_STATE=/var/lib/dnsblaudit/state.db", "--chown=" + user + " /out/state /var/lib/dnsblaudit", "EXPOSE 9153"} {
		if !strings.Contains(final, want) {
			t.Errorf("final stage lacks %q", want)
		}
	}
	if build := strings.Join(stages[0], "\n"); !strings.Contains(build, "CGO_ENABLED=0") {
		t.Error("the binary must be static (CGO_ENABLED=0) for a distroless static image")
	}
}
