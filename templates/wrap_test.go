package templates

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

func TestWrap(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"short", "a short", "a short"},
		{"fold", "aaa bbb ccc ddd", "aaa bbb\nccc ddd"},
		{"excerpt kept whole", "    aaa bbb ccc ddd eee", "    aaa bbb ccc ddd eee"},
		{"tab excerpt", "\taaa bbb ccc ddd eee", "\taaa bbb ccc ddd eee"},
		{"long word", "aaaaaaaaaaaaaaaaaaa bb", "aaaaaaaaaaaaaaaaaaa\nbb"},
		{"bullet hangs", "- aaa bbb ccc ddd", "- aaa bbb\n  ccc ddd"},
		{"keeps blank lines", "aaa\n\nbbb", "aaa\n\nbbb"},
		{"runes not bytes", "ææææ øøøø åååå", "ææææ øøøø\nåååå"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Wrap(c.in, 10); got != c.want {
				t.Errorf("Wrap(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestWrapIsIdempotent(t *testing.T) {
	in := strings.Repeat("word ", 40) + "\n- " + strings.Repeat("item ", 30) + "\n    " + strings.Repeat("log ", 40)
	once := Wrap(in, Width)
	if twice := Wrap(once, Width); twice != once {
		t.Errorf("wrapping twice changed the text:\n%s\n---\n%s", once, twice)
	}
}

func TestPluralAndCount(t *testing.T) {
	cases := map[string]string{
		count(1, "probe"):             "1 probe",
		count(2, "probe"):             "2 probes",
		count(0, "address"):           "0 addresses",
		count(3, "entry"):             "3 entries",
		count(2, "day"):               "2 days",
		plural(2, "person", "people"): "people",
		count(2, "other host"):        "2 other hosts",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestNetwork(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.74":        "192.0.2.0/24",
		"::ffff:192.0.2.74": "192.0.2.0/24",
		"2001:db8:1:2::25":  "2001:db8:1::/48",
		"not an address":    "not an address",
	} {
		if got := network(in); got != want {
			t.Errorf("network(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzSanitized: whatever a stranger puts in a HELO name, log line or
// registry answer, the rendered body holds no control characters except
// newlines and tabs, and every body line is valid UTF-8.
func FuzzSanitized(f *testing.F) {
	f.Add("mx.example.net", "Aug 19 gw spamd: line", "abuse@example.net\nremarks: x")
	f.Add("evil\r\nBcc: x@y", "\x1b[31mred\x07", "\xff\xfe\u202e")
	f.Fuzz(func(t *testing.T, helo, line, raw string) {
		d := sampleData(t)
		p := d.Probers[0]
		p.HeloNames = []string{helo}
		p.Events = append([]evidence.Probe{}, p.Events...)
		p.Events[0].Helo = helo
		p.Events[0].Lines = append(p.Events[0].Lines[:0:0], p.Events[0].Lines...)
		p.Events[0].Lines[0].Raw = line
		d.Probers = append(d.Probers[:0:0], d.Probers...)
		d.Probers[0] = p
		d.Recipients[0].Raw = raw
		for _, name := range Default().Names() {
			r, err := Default().Render(name, d)
			if err != nil {
				t.Fatal(err)
			}
			checkClean(t, r.Subject, false)
			checkClean(t, r.Body, true)
		}
	})
}

func checkClean(t *testing.T, s string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8: %q", s)
	}
	for _, r := range s {
		if r == '\n' && multiline || r == '\t' {
			continue
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) {
			t.Fatalf("control character %U in %q", r, s)
		}
	}
}

// FuzzWrap: wrapping keeps every word in order, keeps indented lines
// whole, and is idempotent.
func FuzzWrap(f *testing.F) {
	f.Add("a short line", 10)
	f.Add("- a list item that is long enough to wrap\n    kept whole even if it is long", 12)
	f.Add("ææææ øøøø åååå", 4)
	f.Fuzz(func(t *testing.T, text string, width int) {
		if width < 1 || width > 200 || !utf8.ValidString(text) {
			return
		}
		out := Wrap(text, width)
		if strings.Join(strings.Fields(out), " ") != strings.Join(strings.Fields(text), " ") {
			t.Fatalf("words changed:\n%q\n%q", text, out)
		}
		if again := Wrap(out, width); again != out {
			t.Fatalf("not idempotent:\n%q\n%q", out, again)
		}
		in := strings.Split(text, "\n")
		for _, l := range in {
			if isExcerpt(l) && !strings.Contains(out, l) {
				t.Fatalf("excerpt line changed: %q", l)
			}
		}
	})
}

func TestProvenance(t *testing.T) {
	cases := map[string]whoisctx.Contact{
		"the RDAP record at rdap.arin.net lists it as the abuse contact for the network of the host below":   {Source: "rdap", Server: "rdap.arin.net", Role: whoisctx.RoleNetwork},
		"the WHOIS record lists it as the abuse contact for the domain of the host below":                    {Source: "whois", Role: whoisctx.RoleDomain},
		"the WHOIS record lists it as the abuse contact for the network of the host below":                   {Source: "whois", Server: "127.0.0.1:43043", Role: whoisctx.RoleNetwork},
		"the RDAP record lists it as the abuse contact for the network of the host below":                    {Source: "rdap", Server: "[::1]:8080", Role: whoisctx.RoleNetwork},
		"the WHOIS record at whois.ripe.net lists it as the abuse contact for the network of the host below": {Source: "whois", Server: "whois.ripe.net", Role: whoisctx.RoleNetwork},
		"abuse@ is the mailbox RFC 2142 reserves for reports about the domain of the host below":             {Source: "rfc2142-guess", Role: whoisctx.RoleDomain},
		"a registry record lists it as the abuse contact for the host below":                                 {},
	}
	for want, c := range cases {
		if got := provenance(c, "the host below"); got != want {
			t.Errorf("got %q\nwant %q", got, want)
		}
	}
}
