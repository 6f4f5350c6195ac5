package whoisctx

import (
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/openrdap/rdap"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// checkAddress fails when a parser let through an address that could
// break a mail header or a terminal.
func checkAddress(t *testing.T, a string) {
	t.Helper()
	for _, r := range a {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r > unicode.MaxASCII || strings.ContainsRune("<>\",", r) {
			t.Fatalf("unsafe address %q", a)
		}
	}
	if strings.Count(a, "@") < 1 {
		t.Fatalf("address without @: %q", a)
	}
}

func FuzzParseWhois(f *testing.F) {
	for _, n := range []string{"ripe.txt", "ripe-v6.txt", "arin.txt", "arin-google.txt", "apnic.txt", "apnic-stub.txt", "lacnic.txt", "registrobr.txt",
		"afrinic.txt", "registrar.txt", "ripe-denied.txt", "arin-header-only.txt", "inject.txt"} {
		f.Add(whoistest.File(n))
	}
	f.Fuzz(func(t *testing.T, text string) {
		fd := ParseWhois(toUTF8(text))
		for _, w := range fd.Found {
			checkAddress(t, w.Address)
			if isPlaceholder(w.Address) {
				t.Fatalf("placeholder kept: %q", w.Address)
			}
		}
		if fd.First.IsValid() != fd.Last.IsValid() || (fd.First.IsValid() && fd.Last.Less(fd.First)) {
			t.Fatalf("bad range %s - %s", fd.First, fd.Last)
		}
	})
}

func FuzzParseCymruOrigin(f *testing.F) {
	f.Add("15169 | 74.125.225.0/24 | US | arin | 2007-03-13")
	f.Add("23456 64512 | 2a00:1450::/32 | IE | ripencc |")
	f.Fuzz(func(t *testing.T, txt string) {
		o, err := ParseCymruOrigin(txt)
		if err == nil && (!o.Prefix.IsValid() || !knownRegistries[o.Registry] || o.Prefix != o.Prefix.Masked()) {
			t.Fatalf("accepted bad origin %+v from %q", o, txt)
		}
	})
}

func FuzzParseCymruASName(f *testing.F) {
	f.Add("15169 | US | arin | 2000-03-30 | GOOGLE - Google LLC, US")
	f.Fuzz(func(t *testing.T, txt string) {
		name, err := ParseCymruASName(txt)
		if err == nil && name == "" {
			t.Fatal("empty name accepted")
		}
	})
}

func FuzzParseAddressList(f *testing.F) {
	f.Add("abuse@example.net,noc@example.net")
	f.Add("abuse@example.net\r\nBcc: x@example.org")
	f.Fuzz(func(t *testing.T, txt string) {
		for _, a := range ParseAddressList([]string{txt}) {
			checkAddress(t, a)
		}
	})
}

func FuzzCleanAddress(f *testing.F) {
	f.Add("abuse@example.net")
	f.Add("\"x\" <abuse@example.net>")
	f.Fuzz(func(t *testing.T, s string) {
		if a, err := cleanAddress(s); err == nil {
			checkAddress(t, a)
			if again, err := cleanAddress(a); err != nil || again != a {
				t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, a, again, err)
			}
		}
	})
}

// FuzzRDAPAbuse decodes arbitrary JSON as an RDAP network and walks its
// entities: no panic, no unsafe address.
func FuzzRDAPAbuse(f *testing.F) {
	for _, n := range []string{"rdap-arin-google.json", "rdap-afrinic.json", "rdap-apnic-stub.json", "rdap-lacnic.json", "rdap-domain.json"} {
		f.Add([]byte(whoistest.File(n)))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		obj, err := rdap.NewDecoder(body).Decode()
		if err != nil {
			return
		}
		var ents []rdap.Entity
		switch o := obj.(type) {
		case *rdap.IPNetwork:
			ents = o.Entities
		case *rdap.Domain:
			ents = o.Entities
		default:
			return
		}
		for _, fd := range rdapAbuse(ents) {
			if fd.address != "" {
				checkAddress(t, fd.address)
			}
		}
		for _, c := range rdapTechFallback(ents, RawAnswer{}) {
			checkAddress(t, c.Address)
			if !c.NeedsReview {
				t.Fatalf("technical fallback %q not marked needs review", c.Address)
			}
		}
	})
}

// FuzzBootstrapFile reads arbitrary bytes as a downloaded bootstrap file
// (its publication date and its RDAP hosts): no panic, and only https
// hosts become redirect targets.
func FuzzBootstrapFile(f *testing.F) {
	for _, name := range BootstrapFiles {
		b, err := embeddedBootstrap.ReadFile("bootstrap/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"publication":"not a date","services":[[["x"],["http://plain.example/","https://ok.example/"]]]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = publication(body)
		b := &bootstrapSet{hosts: map[string]bool{}}
		if err := b.addHosts(body); err != nil {
			return
		}
		for h := range b.hosts {
			if strings.ContainsAny(h, "/@ ") {
				t.Fatalf("odd host %q", h)
			}
		}
	})
}

// FuzzCheckRedirect: whatever Location a server sends, a redirect is let
// through only to https on an RDAP host the bootstrap names.
func FuzzCheckRedirect(f *testing.F) {
	for _, s := range []string{"https://rdap.lacnic.net/rdap/ip/1.2.3.4", "http://rdap.lacnic.net/x", "/registry/ip/1.2.3.4",
		"https://rdap.evil.example/", "https://RDAP.ARIN.NET:8443/x", "https://user@rdap.arin.net/", "//rdap.apnic.net/ip/1"} {
		f.Add(s)
	}
	fd, err := New(Config{SkipDNS: true})
	if err != nil {
		f.Fatal(err)
	}
	base, _ := url.Parse("https://rdap.arin.net/registry/ip/1.2.3.4")
	f.Fuzz(func(t *testing.T, loc string) {
		u, err := url.Parse(loc)
		if err != nil {
			return
		}
		next := base.ResolveReference(u)
		if fd.checkRedirect(next) != nil {
			return
		}
		host := strings.ToLower(next.Hostname())
		if next.Scheme != "https" || next.User != nil || (next.Port() != "" && next.Port() != "443") ||
			(!fd.boot.hosts[host] && !rdapRegistryHosts[host]) {
			t.Fatalf("redirect to %q let through", next)
		}
	})
}
