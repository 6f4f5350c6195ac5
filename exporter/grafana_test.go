package exporter

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/watch"
)

const dashboardFile = "../examples/grafana/dnsblaudit-dashboard.json"

// dashboard is the part of a Grafana dashboard the test reads: every
// panel's queries and every template variable's query.
type dashboard struct {
	Panels []struct {
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name  string `json:"name"`
			Type  string `json:"type"`
			Query any    `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

var (
	labelMatcher = regexp.MustCompile(`([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"`)
	byClause     = regexp.MustCompile(`\b(?:by|without)\s*\(([^)]*)\)`)
	labelValues  = regexp.MustCompile(`label_values\(\s*([a-zA-Z_:]\w*)\s*,\s*(\w+)\s*\)`)
	// grafanaVar is a dashboard variable ($job, ${datasource}): not a metric.
	grafanaVar = regexp.MustCompile(`\$\{?\w+\}?`)
)

// targetLabels are added by Prometheus to every scraped series.
var targetLabels = map[string]bool{"job": true, "instance": true}

// TestGrafanaDashboardUsesExportedMetrics: every query of the shipped
// dashboard names metrics and labels the exporter really exposes (on
// /metrics or /probe), so the dashboard cannot silently show nothing.
func TestGrafanaDashboardUsesExportedMetrics(t *testing.T) {
	data, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	labels := exposedLabels(t)
	queries := 0
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			queries++
			checkQuery(t, p.Title, tg.Expr, labels)
		}
	}
	for _, v := range d.Templating.List {
		q, ok := v.Query.(map[string]any)
		if v.Type != "query" || !ok {
			continue
		}
		expr, _ := q["query"].(string)
		m := labelValues.FindStringSubmatch(expr)
		if m == nil {
			t.Errorf("variable %s: query %q is not label_values(metric, label)", v.Name, expr)
			continue
		}
		if ls, ok := labels[m[1]]; !ok || !ls[m[2]] && !targetLabels[m[2]] {
			t.Errorf("variable %s: %s has no label %s", v.Name, m[1], m[2])
		}
		queries++
	}
	if queries < 10 {
		t.Errorf("only %d queries in the dashboard", queries)
	}
}

func checkQuery(t *testing.T, panel, expr string, labels map[string]map[string]bool) {
	t.Helper()
	names := metricName.FindAllString(grafanaVar.ReplaceAllString(expr, "VAR"), -1)
	if len(names) == 0 {
		t.Errorf("panel %q: query names no exporter metric: %s", panel, expr)
		return
	}
	allowed := map[string]bool{"job": true, "instance": true, "le": true} // target labels; histogram buckets
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_sum"), "_count")
		ls, ok := labels[base]
		if !ok {
			t.Errorf("panel %q: %s is not exported", panel, n)
			continue
		}
		for l := range ls {
			allowed[l] = true
		}
	}
	var used []string
	for _, m := range labelMatcher.FindAllStringSubmatch(expr, -1) {
		used = append(used, m[1])
	}
	for _, m := range byClause.FindAllStringSubmatch(expr, -1) {
		for _, l := range strings.Split(m[1], ",") {
			used = append(used, strings.TrimSpace(l))
		}
	}
	for _, l := range used {
		if l != "" && !allowed[l] {
			t.Errorf("panel %q: label %s is on none of the query's metrics: %s", panel, l, expr)
		}
	}
}

// exposedLabels scrapes a real exporter after a run and a probe, and
// returns each metric family's label names.
func exposedLabels(t *testing.T) map[string]map[string]bool {
	t.Helper()
	dns := fakeLists(t)
	e := newTestExporter(t, dns.Addr, watch.ServeConfig{}, "192.0.2.1")
	if err := e.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	defer srv.Close()
	out := map[string]map[string]bool{}
	// /probe first: its counter has no series on /metrics before a probe
	for _, path := range []string{"/probe?target=192.0.2.1", "/metrics"} {
		mfs, _ := scrape(t, srv, path)
		for name, mf := range mfs {
			if out[name] == nil {
				out[name] = map[string]bool{}
			}
			for _, m := range mf.Metric {
				for _, l := range m.Label {
					out[name][l.GetName()] = true
				}
			}
		}
	}
	return out
}
