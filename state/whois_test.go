package state

import (
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// The state file is whoisctx's cache across runs.
var _ whoisctx.Cache = (*WhoisCache)(nil)

func TestWhoisCache(t *testing.T) {
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "state.db"), Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := db.WhoisCache()
	ctx := t.Context()
	exp := now.Add(time.Hour)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.PutPrefix(ctx, netip.MustParsePrefix("174.0.0.0/13"), []byte("parent"), exp))
	must(c.PutPrefix(ctx, netip.MustParsePrefix("174.0.36.0/24"), []byte("child"), exp))
	must(c.PutPrefix(ctx, netip.MustParsePrefix("2001:db8::/32"), []byte("v6"), exp))
	for _, tc := range []struct{ addr, prefix, value string }{
		{"174.0.36.9", "174.0.36.0/24", "child"},
		{"174.1.2.3", "174.0.0.0/13", "parent"},
		{"2001:db8:1::5", "2001:db8::/32", "v6"},
		{"::ffff:174.0.36.1", "174.0.36.0/24", "child"},
	} {
		p, v, ok, err := c.GetPrefix(ctx, netip.MustParseAddr(tc.addr), now)
		if err != nil || !ok || p.String() != tc.prefix || string(v) != tc.value {
			t.Errorf("GetPrefix(%s) = %s %q %v %v, want %s %q", tc.addr, p, v, ok, err, tc.prefix, tc.value)
		}
	}
	if _, _, ok, _ := c.GetPrefix(ctx, netip.MustParseAddr("175.0.0.1"), now); ok {
		t.Error("hit outside every prefix")
	}
	if _, _, ok, _ := c.GetPrefix(ctx, netip.MustParseAddr("174.0.36.9"), exp); ok {
		t.Error("expired entry returned")
	}
	must(c.PutPrefix(ctx, netip.MustParsePrefix("174.0.36.0/24"), []byte("newer"), exp))
	if _, v, _, _ := c.GetPrefix(ctx, netip.MustParseAddr("174.0.36.9"), now); string(v) != "newer" {
		t.Errorf("replace: got %q", v)
	}
	must(c.PutDomain(ctx, "Example.COM", []byte("d"), exp))
	if v, ok, err := c.GetDomain(ctx, "example.com", now); err != nil || !ok || string(v) != "d" {
		t.Errorf("GetDomain = %q %v %v", v, ok, err)
	}
	if n, err := c.Purge(ctx, exp); err != nil || n != 4 {
		t.Errorf("Purge = %d, %v; want 4", n, err)
	}
}
