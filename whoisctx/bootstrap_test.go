package whoisctx

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	for dom, want := range map[string]string{"example-sender.com": "rdap.verisign.com", "x.org": "rdap.publicinterestregistry.org", "a.b.fr": "rdap.nic.fr"} {
		urls := b.domainURLs(dom)
		if len(urls) == 0 || urls[0].Hostname() != want {
			t.Errorf("%s -> %v, want %s", dom, urls, want)
		}
	}
	if urls := b.ipURLs(netip.MustParseAddr("10.0.0.1")); len(urls) != 0 {
		t.Errorf("private range routed to %v", urls)
	}
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
}
