package dnsbl_test

import (
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// A list of kind both is one zone holding an IPv4 and an IPv6 dataset, as
// Spamhaus ZEN answers IPv4 and nibble-form IPv6 queries (Spamhaus
// statement S012). rbldnsd serves exactly that with an ip4set and an
// ip6trie under one zone name.
const (
	zoneDual = "dual.lists.test"
	dualV4   = "$SOA 60 ns.lists.test hostmaster.lists.test 1 600 300 86400 60\n$NS 60 ns.lists.test\n" +
		":127.0.0.2:IPv4 $ listed\n127.0.0.2\n192.0.2.10\n"
	dualV6 = ":127.0.0.2:IPv6 $ listed\n::ffff:7f00:2\n2001:db8:1::/48\n"
)

func startDual(t *testing.T) *rbldnsdtest.Server {
	t.Helper()
	return rbldnsdtest.StartT(t, rbldnsdtest.Options{},
		rbldnsdtest.Zone{Name: zoneDual, Type: "ip4set", File: "dual-v4", Data: dualV4},
		rbldnsdtest.Zone{Name: zoneDual, Type: "ip6trie", File: "dual-v6", Data: dualV6})
}

func TestRbldnsdBothFamilies(t *testing.T) {
	srv := startDual(t)
	dual := dnsbl.List{Name: "dual", Zone: zoneDual, Kind: dnsbl.KindBoth}
	c := newRbldnsdChecker(t, srv, dual)
	rep := checkTargets(t, c, "192.0.2.10", "192.0.2.99", "2001:db8:1::25", "2001:db8:2::1", "::ffff:192.0.2.10")
	got := resultsOf(t, rep)
	wants := map[string]want{
		"192.0.2.10 dual":     {verdict: dnsbl.Listed, txt: []string{"IPv4 192.0.2.10 listed"}},
		"192.0.2.99 dual":     {verdict: dnsbl.NotListed},
		"2001:db8:1::25 dual": {verdict: dnsbl.Listed, txt: []string{"IPv6 2001:db8:1::25 listed"}},
		"2001:db8:2::1 dual":  {verdict: dnsbl.NotListed},
		// An IPv4-mapped sender is its IPv4 address.
		"::ffff:192.0.2.10 dual": {verdict: dnsbl.Listed, txt: []string{"IPv4 192.0.2.10 listed"}},
	}
	checkWants(t, got, wants)
	if len(got) != len(wants) {
		t.Errorf("%d results, want %d", len(got), len(wants))
	}
	// Healthy only if both families' test points were asked, the IPv6 one
	// in nibble form.
	if h := healthOf(rep)["dual"]; h.Status != dnsbl.Healthy {
		t.Errorf("health %s (%s)", h.Status, h.Reason)
	}
}

// The IPv6 half of a list of kind both is checked too: an IPv6 dataset
// that lists the IPv6 canary (100::1, RFC 6666 discard-only) makes the
// list unhealthy although its IPv4 half is fine. (rbldnsd answers the
// nibble-form ::ffff:7f00:2 from the zone's IPv4 dataset, so the IPv6
// positive test point cannot be made to fail here.)
func TestRbldnsdBothFamiliesHealthSeesIPv6(t *testing.T) {
	srv := rbldnsdtest.StartT(t, rbldnsdtest.Options{},
		rbldnsdtest.Zone{Name: zoneDual, Type: "ip4set", File: "dual-v4", Data: dualV4},
		rbldnsdtest.Zone{Name: zoneDual, Type: "ip6trie", File: "dual-v6", Data: ":127.0.0.2:x\n100::/64\n"})
	rep := checkTargets(t, newRbldnsdChecker(t, srv, dnsbl.List{Name: "dual", Zone: zoneDual, Kind: dnsbl.KindBoth}), "192.0.2.10")
	if h := healthOf(rep)["dual"]; h.Status != dnsbl.Unhealthy || !strings.Contains(h.Reason, "100::1") {
		t.Errorf("health %s (%s), want unhealthy naming 100::1", h.Status, h.Reason)
	}
	// The same list as IPv4 only never asks the IPv6 canary.
	rep = checkTargets(t, newRbldnsdChecker(t, srv, dnsbl.List{Name: "dual", Zone: zoneDual}), "192.0.2.10")
	if h := healthOf(rep)["dual"]; h.Status != dnsbl.Healthy {
		t.Errorf("health as ipv4: %s (%s)", h.Status, h.Reason)
	}
}

// The catalogue's Spamhaus IP lists answer IPv6 (statement S012): an IPv6
// target on ZEN is queried, in nibble form, under zen's zone.
func TestCatalogueSpamhausCoversIPv6(t *testing.T) {
	cat := dnsbl.DefaultCatalogue()
	for _, name := range []string{"spamhaus-zen", "spamhaus-sbl", "spamhaus-xbl", "spamhaus-pbl", "spamhaus-authbl-dqs", "spamhaus-zen-dqs", "s5h"} {
		l, ok := cat.Lookup(name)
		if !ok || l.Kind != dnsbl.KindBoth {
			t.Errorf("%s: kind %q, want both", name, l.Kind)
		}
	}
}
