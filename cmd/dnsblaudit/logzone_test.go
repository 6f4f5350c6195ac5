package main

import (
	"errors"
	"testing"
)

// Quoted log stamps without a zone are named by the local zone's IANA
// name when the system gives one ($TZ, or the /etc/localtime link), not
// by today's offset, which is wrong for logs from the other side of a
// daylight-saving change.
func TestLocalZoneName(t *testing.T) {
	env := func(v string, set bool) func(string) (string, bool) {
		return func(string) (string, bool) { return v, set }
	}
	link := func(target string, err error) func(string) (string, error) {
		return func(string) (string, error) { return target, err }
	}
	noLink := link("", errors.New("not a link"))
	for _, c := range []struct {
		name     string
		lookup   func(string) (string, bool)
		readlink func(string) (string, error)
		want     string
	}{
		{"TZ", env("Europe/Oslo", true), noLink, "Europe/Oslo"},
		{"TZ with colon", env(":Europe/Oslo", true), noLink, "Europe/Oslo"},
		{"TZ empty is UTC", env("", true), link("/usr/share/zoneinfo/Europe/Oslo", nil), "UTC"},
		{"TZ a file", env("/etc/localtime", true), noLink, ""},
		{"TZ unknown", env("Mars/Olympus", true), noLink, ""},
		{"link", env("", false), link("/usr/share/zoneinfo/America/New_York", nil), "America/New_York"},
		{"link elsewhere", env("", false), link("/etc/zone.bin", nil), ""},
		{"no link", env("", false), noLink, ""},
	} {
		if got := localZoneName(c.lookup, c.readlink); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
