package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
	"github.com/dnsblaudit/dnsblaudit/investigate"
)

// articleCallouts are the article's spamd lines: the antispamcloud.com
// callout against bsdly.com on 2017-08-19 (evidence/testdata).
const articleCallouts = `Aug 19 14:35:27 delilah spamd[26915]: 207.244.64.181: connected (25/24)
Aug 19 14:35:38 delilah spamd[26915]: (GREY) 207.244.64.181: <> -> <mx42.antispamcloud.com-1503146097-testing@bsdly.com>
Aug 19 14:35:38 delilah spamd[15291]: new entry 207.244.64.181 from <> to <mx42.antispamcloud.com-1503146097-testing@bsdly.com>, helo mx18-12.smtp.antispamcloud.com
Aug 19 14:35:38 delilah spamd[26915]: 207.244.64.181: disconnected after 11 seconds.
`

// TestInvestigateBounceArticle: the article's bounce starts a case. The
// listing (spamrl, no DNS list) and its time come from the rejection; the
// DNS check runs against a loopback server that lists nothing; the logs
// are read from three days before the bounce.
func TestInvestigateBounceArticle(t *testing.T) {
	dns, err := dnstest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dns.Close() })
	dns.HealthyIPv4("l.test") // answers its test points; does not list the subject
	tmp := t.TempDir()
	logf := filepath.Join(tmp, "spamd.log")
	if err := os.WriteFile(logf, []byte(articleCallouts), 0o600); err != nil {
		t.Fatal(err)
	}
	// spamd writes no year (RFC 3164): the file's time dates the lines.
	mtime := time.Date(2017, 8, 22, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(logf, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(tmp, "config.yaml")
	conf := "evidence:\n  time_zone: UTC\ndnsbl:\n  resolver: " + dns.Addr + "\n  timeout: 2s\n  no_catalogue: true\n  lists: [{name: l, zone: l.test}]\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "case")
	var out, errb bytes.Buffer
	code := run([]string{"dnsblaudit", "--config", cfg, "--state", filepath.Join(tmp, "none.db"),
		"investigate", "--no-whois", "--no-notices", "--log", logf, "--domain", "bsdly.com", "--out", dir,
		"--bounce", articleBounce}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s\n%s", code, errb.String(), out.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "case.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c investigate.Case
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if c.Subject != "213.187.179.198" {
		t.Errorf("subject %q, want the IP the rejection quotes", c.Subject)
	}
	if len(c.Checks) == 0 {
		t.Error("no DNS check ran")
	}
	if len(c.Listings) != 1 {
		t.Fatalf("listings %+v, want the one the bounce names", c.Listings)
	}
	ls := c.Listings[0]
	bounceTime := time.Date(2017, 8, 21, 8, 12, 3, 0, time.UTC)
	if ls.List != "spamrl" || ls.Target != "213.187.179.198" || ls.Zone != "" || ls.SinceSource != investigate.SinceBounce ||
		ls.Since == nil || !ls.Since.Equal(bounceTime) || ls.Delist != "https://spamrl.com/" {
		t.Errorf("listing %+v", ls)
	}
	if ls.Bounce == nil || ls.Bounce.RemoteMTA != "filter10.antispamcloud.com [31.204.155.103]" || ls.Bounce.DNSStatus != "" {
		t.Errorf("bounce source %+v", ls.Bounce)
	}
	if len(ls.CalloutWords) == 0 || !strings.EqualFold(ls.CalloutWords[0], "dictionary attacks") {
		t.Errorf("callout words %q, want the rejection's 'dictionary attacks'", ls.CalloutWords)
	}
	if c.Window.Source != "listing-start" || !c.Window.Since.Equal(bounceTime.Add(-investigate.DefaultLookback)) {
		t.Errorf("window %+v, want from 72h before the bounce", c.Window)
	}
	if len(c.Evidence.Probers) != 1 || c.Evidence.Probers[0].IP != "207.244.64.181" {
		t.Errorf("probers %+v, want the antispamcloud.com callout", c.Evidence.Probers)
	}
	// The bounce came after the probe: the listing may have begun before
	// or after it, and the summary says "in effect by", not "began".
	if !strings.Contains(c.Hypothesis.Summary, "was in effect by 2017-08-21") || strings.Contains(c.Hypothesis.Summary, "spamrl began") {
		t.Errorf("summary %q", c.Hypothesis.Summary)
	}
	var bounceFact bool
	for _, f := range c.Hypothesis.Facts {
		if f.Source == "bounce" && strings.Contains(f.Text, "No DNS query can see this list") {
			bounceFact = true
		}
	}
	if !bounceFact {
		t.Errorf("facts %+v lack the bounce", c.Hypothesis.Facts)
	}
	for _, name := range []string{"report.md", "report.html"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestInvestigateBounceBadInput(t *testing.T) {
	ordinary := filepath.Join(sisimaiDir, "lhost-postfix-05.eml")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"investigate", "--bounce", ordinary}, "no rejection in 1 messages blames a list"},
		{[]string{"investigate", "--bounce", filepath.Join(sisimaiDir, "lhost-sendmail-33.eml")}, "quote no IP address: give the IP"},
		{[]string{"investigate", "--bounce", sisimaiDir}, "give the IP to investigate"},
		{[]string{"investigate", "--bounce", "/nonexistent/bounce.eml"}, "investigate --bounce: no bounce could be read"},
	} {
		var out, errb bytes.Buffer
		code := run(append([]string{"dnsblaudit"}, tc.args...), &out, &errb)
		if code != exitUnknown || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 3 and %q", tc.args, code, errb.String(), tc.want)
		}
	}
}
