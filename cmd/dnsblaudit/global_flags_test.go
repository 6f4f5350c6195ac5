package main

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// Global flags are accepted after the command as before it: the README
// says every command takes --state, --config, --format, --log-level.
func TestGlobalFlagsAfterCommand(t *testing.T) {
	cfg, db := watchFixture(t)
	code, out, stderr := runCLI(t, "watch", "--config", cfg, "--state", db, "--format", "json", "--log-level", "error", "--confirm-runs", "1")
	if code != exitCritical {
		t.Fatalf("watch with global flags after it: exit %d, stderr %s", code, stderr)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first); err != nil {
		t.Fatalf("--format json after the command not applied: %v\n%s", err, out)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("--state after the command not used: %v", err)
	}
	// Before the command still works, and both places mix.
	code, _, stderr = runCLI(t, "--config", cfg, "watch", "--state", db, "--confirm-runs", "1")
	if code != exitCritical {
		t.Errorf("mixed: exit %d, stderr %s", code, stderr)
	}
	// A bad value after the command is refused like one before it.
	code, _, stderr = runCLI(t, "watch", "--log-level", "loud", "--config", cfg, "--state", db)
	if code != exitUnknown || !strings.Contains(stderr, "--log-level") {
		t.Errorf("bad --log-level after the command: exit %d, stderr %q", code, stderr)
	}
}

// Every command that sends DNS queries takes --resolver; whois keeps its
// old --dns-server as the same flag.
func TestResolverFlagOneName(t *testing.T) {
	for _, cmd := range newApp(nil, nil).Commands {
		if cmd.Name != "check" && cmd.Name != "watch" && cmd.Name != "serve" && cmd.Name != "whois" && cmd.Name != "investigate" && cmd.Name != "notify" {
			continue
		}
		found, env := false, false
		for _, f := range cmd.Flags {
			for _, n := range f.Names() {
				if n == flagResolver {
					found = true
					ev, _ := f.(interface{ GetEnvVars() []string })
					env = ev != nil && slices.Contains(ev.GetEnvVars(), "DNSBLAUDIT_RESOLVER")
				}
			}
		}
		if !found || !env {
			t.Errorf("%s: --resolver %v, read from $DNSBLAUDIT_RESOLVER %v", cmd.Name, found, env)
		}
	}
}
