package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestCheckTextGolden pins the whole text output of a run that shows every
// verdict, so that a change to it is a deliberate one.
func TestCheckTextGolden(t *testing.T) {
	srv := checkFixture(t)
	srv.ListIP("good.test", "192.0.2.9", "", "10.0.0.1")
	args := append(zones(srv, "good.test", "world.test", "refuse.test", "dbl.test:domain", "dnsbl.sorbs.net"),
		"--resolver", srv.Addr, "192.0.2.1", "192.0.2.2", "192.0.2.9", "example.org", "2001:db8::1")
	_, out, _ := checkCLI(t, args...)
	const want = `192.0.2.1
  LISTED     good.test  127.0.0.2, 127.0.0.4  listed (code 127.0.0.2, 127.0.0.4)
               TXT: spam seen` + "\uFFFD" + `[2J see https://good.test/q?192.0.2.1
  REFUSED    on refuse.test: list not usable in this run (see below)
  UNKNOWN    on world.test: list not usable in this run (see below)

192.0.2.2
  ERROR      good.test  timeout: no answer after 4 tries
  REFUSED    on refuse.test: list not usable in this run (see below)
  UNKNOWN    on world.test: list not usable in this run (see below)

192.0.2.9
  BOGUS      good.test  answer 10.0.0.1 is outside 127.0.0.0/8: not a DNSBL code (the list's domain may have expired or been parked)
  REFUSED    on refuse.test: list not usable in this run (see below)
  UNKNOWN    on world.test: list not usable in this run (see below)

example.org
  note       no such name (NXDOMAIN): checked on domain lists only
  LISTED     dbl.test  127.0.1.2  listed (code 127.0.1.2)
               TXT: bad domain

2001:db8::1
  ERROR      no selected list covers 2001:db8::1: select a list of kind ipv6 or both (--zone ZONE:ipv6)

Lists not usable in this run (RFC 5782 section 5 test points):
  world.test (world.test) unhealthy: lists the RFC 5782 section 5 test point 127.0.0.1 (code 127.0.0.2), which no list may list: it probably lists everything; its answers count as "unknown"
  refuse.test (refuse.test) refused: test point 127.0.0.2 answered 127.255.255.254: query via a public or open resolver, refused by the list; its answers count as "refused"
  dnsbl.sorbs.net (dnsbl.sorbs.net) dead: dead since 2024-06-05: decommissioned, no answers; not queried

Warnings:
  ! list dnsbl.sorbs.net (dnsbl.sorbs.net) is dead since 2024-06-05: decommissioned, no answers; not queried (remove it from the configuration)

CRITICAL: 2 listed, 0 not listed, 3 refused, 1 error, 1 bogus, 3 unknown, 3 unchecked (10 lookups on 4 lists, 0.0s)
`
	if out != want {
		t.Errorf("text output differs:\n%s", lineDiff(want, out))
	}
}

// lineDiff shows the first differing line of two outputs.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n want: " + wl + "\n  got: " + gl + "\n--- got:\n" + got
		}
	}
	return ""
}
