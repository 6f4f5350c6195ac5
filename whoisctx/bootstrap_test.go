package whoisctx

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openrdap/rdap/bootstrap"
)

func TestEmbeddedBootstrapRoutes(t *testing.T) {
	b, err := loadBootstrap("")
	if err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]string{
		"62.239.237.1": "rdap.db.ripe.net", "174.0.36.9": "rdap.arin.net", "8.8.8.8": "rdap.arin.net",
		"171.0.1.2": "rdap.apnic.net", "1.1.1.1": "rdap.apnic.net", "200.3.13.4": "rdap.lacnic.net",
		"41.203.65.7": "rdap.afrinic.net", "2a01:4f8::1": "rdap.db.ripe.net", "2600::1": "rdap.arin.net",
		"2400:cb00::1": "rdap.apnic.net", "2800:3f0::1": "rdap.lacnic.net", "2c0f:f248::1": "rdap.afrinic.net",
		"::ffff:62.239.237.1": "rdap.db.ripe.net",
	} {
		urls := b.ipURLs(netip.MustParseAddr(addr))
		if len(urls) == 0 || urls[0].Hostname() != want {
			t.Errorf("%s -> %v, want %s", addr, urls, want)
		}
	}
	for dom, want := range map[string]string{"example-sender.com": "rdap.verisign.com", "x.org": "rdap.publicinterestregistry.org", "a.b.fr": "rdap.nic.fr",
		"example.co.uk": "rdap.nominet.uk", "example.br": "rdap.registro.br"} {
		urls := b.domainURLs(dom)
		if len(urls) == 0 || urls[0].Hostname() != want {
			t.Errorf("%s -> %v, want %s", dom, urls, want)
		}
	}
	if urls := b.ipURLs(netip.MustParseAddr("10.0.0.1")); len(urls) != 0 {
		t.Errorf("private range routed to %v", urls)
	}
	// IANA's dns.json has no RDAP service for these ccTLDs.
	for _, dom := range []string{"example.de", "example.jp", "example.eu"} {
		if urls := b.domainURLs(dom); len(urls) != 0 {
			t.Errorf("%s -> %v, want none (not in IANA's dns.json)", dom, urls)
		}
	}
	// IANA gives RIPE 2001:4c00::/23, not /22 as the old hand-written file said.
	if urls := b.ipURLs(netip.MustParseAddr("2001:4c00::1")); len(urls) == 0 || urls[0].Hostname() != "rdap.db.ripe.net" {
		t.Errorf("2001:4c00::1 -> %v, want RIPE", urls)
	}
	if urls := b.ipURLs(netip.MustParseAddr("2001:4e00::1")); len(urls) != 0 {
		t.Errorf("2001:4e00::1 -> %v, want none", urls)
	}
}

// The embedded set is dated by its newest publication (PROVENANCE), and
// every RDAP host it names may be the target of a redirect.
func TestEmbeddedBootstrapFacts(t *testing.T) {
	b, err := loadBootstrap("")
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 11, 20, 17, 0, 2, 0, time.UTC)
	for _, name := range BootstrapFiles {
		if got := b.date(name); !got.Equal(want) || b.files[name].origin != "embedded" {
			t.Errorf("%s dated %v from %s, want %v embedded", name, got, b.files[name].origin, want)
		}
	}
	for _, h := range []string{"rdap.db.ripe.net", "rdap.arin.net", "rdap.lacnic.net", "rdap.nominet.uk", "rdap.verisign.com"} {
		if !b.hosts[h] {
			t.Errorf("host %s not among the bootstrap's RDAP hosts", h)
		}
	}
	if b.hosts["rdap.denic.de"] {
		t.Error("rdap.denic.de is not in IANA's files")
	}
	f, err := bootstrap.NewFile(mustEmbedded(t, "dns.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) < 1000 {
		t.Errorf("dns.json has %d TLDs, IANA's has over 1,000", len(f.Entries))
	}
}

func mustEmbedded(t *testing.T, name string) []byte {
	t.Helper()
	b, err := embeddedBootstrap.ReadFile("bootstrap/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The embedded files are what IANA publishes in shape: every /8 given to
// a registry appears once, and the other registry files parse.
func TestEmbeddedBootstrapComplete(t *testing.T) {
	b, err := loadBootstrap("")
	if err != nil {
		t.Fatal(err)
	}
	routed := 0
	for i := 1; i < 224; i++ {
		if len(b.ipURLs(netip.AddrFrom4([4]byte{byte(i), 1, 2, 3}))) > 0 {
			routed++
		}
	}
	if routed < 200 {
		t.Errorf("only %d /8s routed", routed)
	}
}

func TestRefreshBootstrap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/rdap/")
		if name == "ipv4.json" {
			_, _ = w.Write([]byte(`{"description":"test","publication":"2026-11-27T00:00:00Z","version":"1.0","services":[[["62.0.0.0/8"],["https://rdap.example.net/"]]]}`))
			return
		}
		b, err := embeddedBootstrap.ReadFile("bootstrap/" + name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	dir := t.TempDir()
	if err := RefreshBootstrap(t.Context(), srv.Client(), srv.URL+"/rdap/", dir); err != nil {
		t.Fatal(err)
	}
	b, err := loadBootstrap(dir)
	if err != nil {
		t.Fatal(err)
	}
	if u := b.ipURLs(netip.MustParseAddr("62.1.1.1")); len(u) == 0 || u[0].Hostname() != "rdap.example.net" {
		t.Errorf("refreshed file not used: %v", u)
	}
	// A bad download never replaces a good file.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>")) }))
	defer bad.Close()
	if err := RefreshBootstrap(t.Context(), bad.Client(), bad.URL, dir); err == nil {
		t.Error("HTML accepted as a bootstrap file")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "ipv4.json")); !strings.Contains(string(got), "rdap.example.net") {
		t.Error("good file replaced by a bad download")
	}
	// A downloaded file is dated by when it was written.
	written := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "ipv4.json"), written, written); err != nil {
		t.Fatal(err)
	}
	if b, err = loadBootstrap(dir); err != nil {
		t.Fatal(err)
	}
	if w := b.staleWarning("ipv4.json", written.AddDate(0, 5, 0)); w != "" {
		t.Errorf("fresh download warned: %s", w)
	}
	if w := b.staleWarning("ipv4.json", written.AddDate(0, 7, 0)); !strings.Contains(w, "ipv4.json (downloaded copy) dates from 2027-03-01") {
		t.Errorf("old download: warning %q", w)
	}
}
