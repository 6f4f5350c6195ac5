package notify

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/templates"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// clockAt is a fixed clock: golden files must not depend on when they run.
func clockAt(t time.Time) func() time.Time { return func() time.Time { return t } }

var renderTime = time.Date(2017, 9, 5, 10, 0, 0, 0, time.UTC)

func testOptions(t testing.TB) Options {
	t.Helper()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Skipf("no zoneinfo for Europe/Oslo: %v", err)
	}
	n := 0
	return Options{
		From:     "Example Postmaster <postmaster@example.org>",
		Operator: templates.Operator{Name: "Jane Doe", Org: "Example Org"},
		InfoURL:  DefaultInfoURL,
		Zone:     oslo,
		Now:      clockAt(renderTime),
		MessageID: func() string {
			n++
			return fmt.Sprintf("notice-%d@example.org", n)
		},
	}
}

func testInput(t testing.TB) Input {
	t.Helper()
	in, err := ReadEvidence("testdata/evidence.json")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update and review the diff); got:\n%s", path, got)
	}
}

// goldenDir compares every file WriteDir made with testdata/<name>/.
func goldenDir(t *testing.T, name string, paths []string) {
	t.Helper()
	var names []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(p))
		golden(t, filepath.Join("testdata", name, filepath.Base(p)), data)
	}
	want, _ := filepath.Glob(filepath.Join("testdata", name, "*.eml"))
	if len(want) != len(paths) {
		t.Errorf("wrote %v, testdata/%s has %d files", names, name, len(want))
	}
}

func TestRenderGolden(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Options)
	}{
		{"callback", func(*Options) {}},
		{"callback-all-contacts", func(o *Options) { o.Policy.Recipients = RecipientsAll }},
		{"callback-redirected", func(o *Options) { o.To = "Review <review@example.org>" }},
		{"listing-evidence", func(o *Options) {
			o.Template = templates.ListingEvidence
			o.To = "listings@spamrl.example"
			o.Listing = &templates.Listing{List: "spamrl", Zone: "dnsbl.spamrl.example", IP: "198.51.100.25",
				Codes: []string{"127.0.0.2"}, Reason: "Listed as a source of dictionary attacks", DelistURL: "https://spamrl.example/lookup"}
		}},
		{"vendor-inquiry", func(o *Options) {
			o.Template = templates.VendorInquiry
			o.Vendor = &templates.Vendor{Name: "Filter Example Inc.", Product: "Filter Cloud"}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := testOptions(t)
			c.edit(&opts)
			notices, err := Render(testInput(t), opts)
			if err != nil {
				t.Fatal(err)
			}
			paths, err := WriteDir(notices, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			goldenDir(t, c.name, paths)
		})
	}
}

// The same input renders to the same bytes, run after run: no map order,
// random boundary or clock leaks into the output.
func TestRenderIsByteStable(t *testing.T) {
	{
		var first [][]byte
		for run := 0; run < 5; run++ {
			opts := testOptions(t)
			notices, err := Render(testInput(t), opts)
			if err != nil {
				t.Fatal(err)
			}
			for i := range notices {
				b, err := notices[i].Bytes()
				if err != nil {
					t.Fatal(err)
				}
				if run == 0 {
					first = append(first, b)
				} else if !bytes.Equal(b, first[i]) {
					t.Fatalf("notice %d differs between runs", i)
				}
			}
		}
	}
}

func TestNoticeHeaders(t *testing.T) {
	notices, err := Render(testInput(t), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 3 {
		t.Fatalf("got %d notices, want 3 (two desks and one draft)", len(notices))
	}
	eml, _ := notices[0].Bytes()
	head := string(eml[:bytes.Index(eml, []byte("\r\n\r\n"))])
	for _, want := range []string{
		"Auto-Submitted: auto-generated",
		"Date: Tue, 05 Sep 2017 10:00:00 +0000",
		"Message-ID: <notice-1@example.org>",
		"User-Agent: dnsblaudit\r\n",
		"From: \"Example Postmaster\" <postmaster@example.org>",
		"To: <abuse@filter.example.net>",
		"Reply-To: \"Example Postmaster\" <postmaster@example.org>",
		"Subject: SMTP callback probes from 192.0.2.74",
		"Content-Type: text/plain; charset=UTF-8",
	} {
		if !strings.Contains(head, want) {
			t.Errorf("header %q missing in\n%s", want, head)
		}
	}
	if strings.Contains(head, "go-mail") || strings.Contains(head, "X-Mailer") {
		t.Errorf("library name or version leaked into headers:\n%s", head)
	}
	draft := notices[2]
	if !draft.NeedsRecipient || len(draft.To) != 0 || !strings.HasPrefix(draft.FileName(2), PrefixNeedsRecipient) {
		t.Errorf("draft: needs=%v to=%v file=%s", draft.NeedsRecipient, draft.To, draft.FileName(2))
	}
	deml, _ := draft.Bytes()
	if bytes.Contains(deml, []byte("\r\nTo:")) || !bytes.Contains(deml, []byte("X-Dnsblaudit-Needs-Recipient: no abuse contact found for 198.51.100.7")) {
		t.Errorf("draft headers wrong:\n%s", deml[:bytes.Index(deml, []byte("\r\n\r\n"))])
	}
}

// Addresses from different sources that differ only in case are one desk.
func TestOneNoticePerDesk(t *testing.T) {
	in := testInput(t)
	c := in.Contacts["203.0.113.9"][0]
	c.Address = "ABUSE@filter.example.NET"
	c.Role = "network"
	in.Contacts["203.0.113.9"] = append(in.Contacts["203.0.113.9"], c)
	in.Contacts["203.0.113.9"][0].Confidence = 0.1 // rank the shared desk first
	in.Contacts["203.0.113.9"][1].Confidence = 0.95
	notices, err := Render(in, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(notices) != 2 {
		t.Fatalf("got %d notices, want 2", len(notices))
	}
	if got := strings.Join(notices[0].Probers, " "); got != "192.0.2.74 203.0.113.9" {
		t.Errorf("desk's notice covers %q, want both probers", got)
	}
}

func TestWriteMbox(t *testing.T) {
	in := testInput(t)
	in.Report.Probers[0].Events[0].Lines[0].Raw = "From the log: a line that starts like an mbox separator"
	notices, err := Render(in, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteMbox(notices, &b); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/notices.mbox", b.Bytes())
	if n := strings.Count(b.String(), "\nFrom postmaster@example.org "); n != 2 {
		t.Errorf("%d separators after the first, want 2", n)
	}
}

// Contacts keyed by another spelling of the address still apply.
func TestContactsOfMatchesAddressNotSpelling(t *testing.T) {
	in := Input{Contacts: map[string][]whoisctx.Contact{
		"2001:DB8:0:0::25":  {{Address: "a@example.net"}},
		"::ffff:192.0.2.74": {{Address: "b@example.net"}},
		"198.51.100.7":      {},
	}}
	if cs := in.ContactsOf("2001:db8::25"); len(cs) != 1 || cs[0].Address != "a@example.net" {
		t.Errorf("v6: %v", cs)
	}
	if cs := in.ContactsOf("192.0.2.74"); len(cs) != 1 || cs[0].Address != "b@example.net" {
		t.Errorf("mapped v4: %v", cs)
	}
	if cs := in.ContactsOf("198.51.100.7"); cs != nil {
		t.Errorf("empty list: %v", cs)
	}
}

// X-ARF for callouts is refused with its reason, not rendered with a
// category and schema that describe another abuse.
func TestXARFRefused(t *testing.T) {
	opts := testOptions(t)
	opts.XARF = true
	if _, err := Render(testInput(t), opts); !errors.Is(err, ErrNoXARF) {
		t.Errorf("err = %v, want ErrNoXARF", err)
	}
}
