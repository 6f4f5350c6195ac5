package exporter

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const examplesDir = "../examples/prometheus"

// TestExamplesPromtool validates the shipped Prometheus files with
// promtool (Debian package prometheus): syntax, and the rules' own unit
// tests. Without promtool the test skips, or fails when $CI is set.
func TestExamplesPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("promtool not installed (Debian package prometheus); $CI is set: this test must run")
		}
		t.Skip("skipping: promtool not installed (Debian package prometheus)")
	}
	for _, args := range [][]string{
		{"check", "rules", "dnsblaudit-rules.yml"},
		{"check", "config", "prometheus.yml"},
		{"test", "rules", "dnsblaudit-rules.test.yml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = examplesDir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// metricName finds the exporter's metric names in a PromQL expression.
var metricName = regexp.MustCompile(`\b(?:dnsblaudit|probe)_[a-z_]+\b`)

// TestExampleRulesUseExportedMetrics checks, without promtool, that every
// metric the shipped rules use is one the exporter really exposes (on
// /metrics or /probe), so the rules cannot silently go stale.
func TestExampleRulesUseExportedMetrics(t *testing.T) {
	exposed := exposedLabels(t)
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	readYAML(t, filepath.Join(examplesDir, "dnsblaudit-rules.yml"), &rules)
	n := 0
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			names := metricName.FindAllString(r.Expr, -1)
			if len(names) == 0 {
				t.Errorf("rule %s uses no exporter metric: %s", r.Alert, r.Expr)
			}
			for _, name := range names {
				n++
				if exposed[name] == nil {
					t.Errorf("rule %s uses %s, which the exporter does not expose", r.Alert, name)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no rules found")
	}
}

// TestExampleScrapeConfigShardsProbes: the probe job hits /probe with the
// target as a parameter and keeps one hashmod shard.
func TestExampleScrapeConfigShardsProbes(t *testing.T) {
	var cfg struct {
		ScrapeConfigs []struct {
			JobName     string `yaml:"job_name"`
			MetricsPath string `yaml:"metrics_path"`
			Relabel     []struct {
				Action      string `yaml:"action"`
				TargetLabel string `yaml:"target_label"`
				Modulus     int    `yaml:"modulus"`
			} `yaml:"relabel_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, filepath.Join(examplesDir, "prometheus.yml"), &cfg)
	found := false
	for _, sc := range cfg.ScrapeConfigs {
		if sc.MetricsPath != "/probe" {
			continue
		}
		found = true
		var hashmod, param bool
		for _, r := range sc.Relabel {
			hashmod = hashmod || (r.Action == "hashmod" && r.Modulus > 1)
			param = param || r.TargetLabel == "__param_target"
		}
		if !hashmod || !param {
			t.Errorf("job %s: hashmod %v, __param_target %v", sc.JobName, hashmod, param)
		}
	}
	if !found {
		t.Error("no /probe job in the example scrape config")
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
