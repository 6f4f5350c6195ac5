package templates

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// fixture is the evidence used across the notify tests: two probers with
// contacts and one without, and the campaign that set them off.
func fixture(t testing.TB) evidence.Report {
	t.Helper()
	raw, err := os.ReadFile("../notify/testdata/evidence.json")
	if err != nil {
		t.Fatal(err)
	}
	var r evidence.Report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func sampleData(t testing.TB) Data {
	r := fixture(t)
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skipf("no zoneinfo: %v", err)
	}
	return Data{
		Operator: Operator{Name: "Jane Doe", Address: "postmaster@example.org", Org: "Example Org"},
		Recipients: []whoisctx.Contact{{
			Address: "abuse@filter.example.net", Role: whoisctx.RoleNetwork,
			Source: "rdap", Server: "rdap.arin.net", Confidence: 0.9,
		}},
		Probers:  r.Probers[:2],
		Campaign: r.Campaign,
		Domains:  r.Domains,
		Listing: &Listing{
			List: "spamrl", Zone: "dnsbl.spamrl.example", IP: "198.51.100.25",
			Codes: []string{"127.0.0.2"}, Reason: "Listed as a source of dictionary attacks",
			DelistURL: "https://spamrl.example/lookup",
			Checked:   time.Date(2017, 9, 5, 10, 0, 0, 0, time.UTC),
		},
		Vendor:  &Vendor{Name: "Filter Example Inc.", Product: "Filter Cloud", Account: "C-1042"},
		InfoURL: "https://bsdly.blogspot.com/2017/08/twenty-plus-years-on-smtp-callbacks-are.html",
		Now:     time.Date(2017, 9, 5, 10, 0, 0, 0, time.UTC),
		Zone:    oslo,
	}
}

func TestDefaultsGolden(t *testing.T) {
	d := sampleData(t)
	for _, name := range []string{CallbackNotice, ListingEvidence, VendorInquiry} {
		t.Run(name, func(t *testing.T) {
			r, err := Default().Render(name, d)
			if err != nil {
				t.Fatal(err)
			}
			got := "Subject: " + r.Subject + "\n\n" + r.Body
			golden(t, filepath.Join("testdata", name+".txt"), got)
			checkWidth(t, r.Body)
		})
	}
}

// checkWidth: prose is wrapped; only indented excerpt lines and single
// long words (URLs) may be longer.
func checkWidth(t *testing.T, body string) {
	t.Helper()
	for i, l := range strings.Split(body, "\n") {
		if len([]rune(l)) > Width && !isExcerpt(l) && strings.Contains(l, " ") {
			t.Errorf("line %d is %d columns and not an excerpt: %q", i+1, len([]rune(l)), l)
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from output (run with -update and review the diff):\n%s", path, got)
	}
}

func TestRenderIsStable(t *testing.T) {
	d := sampleData(t)
	a, err := Default().Render(CallbackNotice, d)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Default().Render(CallbackNotice, d)
	if a != b {
		t.Error("two renders of the same data differ")
	}
}

func TestUnknownTemplate(t *testing.T) {
	_, err := Default().Render("nope", Data{})
	if !errors.Is(err, ErrUnknown) {
		t.Fatalf("err = %v, want ErrUnknown", err)
	}
}

func TestOverrideByName(t *testing.T) {
	dir := t.TempDir()
	text := "{{define \"subject\"}}Custom {{(index .Probers 0).IP}}{{end}}Body for {{.Operator.Address}}\n"
	if err := os.WriteFile(filepath.Join(dir, CallbackNotice+Ext), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Render(CallbackNotice, sampleData(t))
	if err != nil {
		t.Fatal(err)
	}
	if r.Subject != "Custom 192.0.2.74" || r.Body != "Body for postmaster@example.org\n" {
		t.Errorf("got %q / %q", r.Subject, r.Body)
	}
	if !s.Has(ListingEvidence) {
		t.Error("override dropped the other defaults")
	}
	if Default().Source(CallbackNotice) != "embedded" {
		t.Error("Load changed the defaults")
	}
}

// A template error names the file and the line, so the user can fix it.
func TestErrorsNameTemplateAndLine(t *testing.T) {
	dir := t.TempDir()
	parseBad := "line one\nline two {{if}}\n"
	os.WriteFile(filepath.Join(dir, "bad-parse"+Ext), []byte(parseBad), 0o644)
	_, err := Load(dir)
	if !errors.Is(err, ErrTemplate) || !strings.Contains(err.Error(), "bad-parse.tmpl:2") {
		t.Fatalf("parse error = %v, want ErrTemplate naming bad-parse.tmpl:2", err)
	}
	os.Remove(filepath.Join(dir, "bad-parse"+Ext))

	execBad := "fine\nfine\n{{.NoSuchField}}\n"
	os.WriteFile(filepath.Join(dir, "bad-exec"+Ext), []byte(execBad), 0o644)
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Render("bad-exec", sampleData(t))
	if !errors.Is(err, ErrTemplate) || !strings.Contains(err.Error(), "bad-exec.tmpl:3") {
		t.Fatalf("exec error = %v, want ErrTemplate naming bad-exec.tmpl:3", err)
	}
}

// Text from strangers reaches the template already cleaned, whatever the
// template does with it.
func TestStrangersTextIsSanitised(t *testing.T) {
	d := sampleData(t)
	d.Probers = append([]evidence.Prober{}, d.Probers...)
	p := d.Probers[0]
	p.HeloNames = []string{"evil\r\nBcc: victim@example.com\x1b[31m"}
	p.Events = append([]evidence.Probe{}, p.Events...)
	p.Events[0].Lines = []evidence.Line{{Raw: "Aug 19 gw spamd: \x1b]0;pwned\x07 line\r\nInjected: header"}}
	d.Probers[0] = p
	d.Recipients = []whoisctx.Contact{{Address: "abuse@x.example", Raw: "line1\nline2\x1b[2J"}}
	// Indented, so that wrapping leaves each value on its line.
	raw := "{{range .Probers}}  {{join \"|\" .HeloNames}}\n{{range .Events}}{{range .Lines}}  [{{.Raw}}]\n{{end}}{{end}}{{end}}{{range .Recipients}}  <{{.Raw}}>{{end}}"
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "raw"+Ext), []byte(raw), 0o644)
	s, _ := Load(dir)
	r, err := s.Render("raw", d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(r.Body, "\r\x1b\x07") || strings.Contains(r.Body, "\nBcc:") || strings.Contains(r.Body, "\nInjected:") {
		t.Errorf("raw control text reached the body: %q", r.Body)
	}
	if !strings.Contains(r.Body, "line1\nline2") {
		t.Errorf("registry answer lost its line breaks: %q", r.Body)
	}
	if d.Probers[0].HeloNames[0] != "evil\r\nBcc: victim@example.com\x1b[31m" {
		t.Error("Sanitized modified its input")
	}
}

// A prober that probed hundreds of times gets a readable notice: the
// probe table and the excerpt are capped and say how much was left out.
func TestLongProberIsCapped(t *testing.T) {
	d := sampleData(t)
	p := d.Probers[0]
	base := p.Events[1]
	p.Events = nil
	for i := range 100 {
		e := base
		e.Time = base.Time.Add(time.Duration(i) * time.Minute)
		e.Lines = []evidence.Line{{File: "/var/log/daemon", Line: 2000 + i, Raw: fmt.Sprintf("line %d", i)}}
		p.Events = append(p.Events, e)
	}
	p.Probes = len(p.Events)
	d.Probers = []evidence.Prober{p}
	r, err := Default().Render(CallbackNotice, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[60 more probes not shown]", "[40 more lines not shown]", "    line 59\n"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if strings.Contains(r.Body, "line 60\n") {
		t.Error("excerpt not capped")
	}
}
