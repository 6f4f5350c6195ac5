package dnsbl

import (
	"errors"
	"strings"
	"testing"
)

func names(sel *selection) string {
	var out []string
	for _, l := range sel.lists {
		out = append(out, l.def.Name)
	}
	return strings.Join(out, ",")
}

func TestCatalogue(t *testing.T) {
	cat := DefaultCatalogue()
	dead := 0
	for _, l := range cat.Lists() {
		if l.Dead != "" {
			dead++
			if !l.Disabled || l.DeadReason == "" || len(l.Dead) < 7 {
				t.Errorf("dead list %s: must be disabled with a date and reason: %+v", l.Name, l)
			}
		}
		if l.Kind == "" {
			continue
		}
		if l.Delist == "" && l.Dead == "" && l.Name != "hostkarma" && l.Name != "senderscore" {
			t.Errorf("%s has no delisting URL", l.Name)
		}
	}
	if dead < 12 {
		t.Errorf("only %d dead lists", dead)
	}
	for _, name := range []string{"spamhaus-zen", "spamhaus-dbl", "spamhaus-zrd", "spamcop", "barracuda", "uceprotect-1", "uceprotect-2", "uceprotect-3", "psbl", "mailspike", "s5h", "surbl", "uribl", "dnswl", "sorbs"} {
		if _, ok := cat.Lookup(name); !ok {
			t.Errorf("catalogue lacks %s", name)
		}
	}
	if l, ok := cat.Lookup("zen.spamhaus.org"); !ok || l.Name != "spamhaus-zen" {
		t.Errorf("lookup by zone: %+v", l)
	}
	if d, ok := cat.Dead("spam.dnsbl.sorbs.net."); !ok || d.Dead != "2024-06-05" {
		t.Errorf("zone under a dead list: %+v", d)
	}
	if _, ok := cat.Dead("bl.spamcop.net"); ok {
		t.Errorf("SpamCop came back after 2021-01-31; it is not dead")
	}
}

func TestParseCatalogueErrors(t *testing.T) {
	tests := map[string]string{
		"lists:\n  - {name: a, zone: a.test}\n  - {name: a, zone: b.test}\n": "duplicate",
		"lists:\n  - {name: a, zone: a.test, kind: ipv5}\n":                  "kind",
		"lists:\n  - {name: a, zone: a.test, colour: red}\n":                 "colour",
		"lists:\n  - {name: a, zone: a.test, codes: [{code: x}]}\n":          "codes[0].code",
	}
	for in, want := range tests {
		if _, err := ParseCatalogue("t.yaml", []byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
	}
}

func TestSelectLists(t *testing.T) {
	cat := DefaultCatalogue()
	env := func(k string) string {
		if k == "DNSBLAUDIT_SPAMHAUS_DQS_KEY" {
			return "abcdef"
		}
		return ""
	}
	tests := []struct {
		name string
		cfg  Config
		want string
		err  error
		warn string
	}{
		{"defaults", Config{}, "spamhaus-zen,spamhaus-dbl,spamcop,uceprotect-1,psbl,mailspike,s5h,surbl,uribl", nil, ""},
		{"enable and disable", Config{Enable: []string{"dnswl", "uceprotect-2"}, Disable: []string{"spamcop", "zen.spamhaus.org"}},
			"spamhaus-dbl,uceprotect-1,uceprotect-2,psbl,mailspike,s5h,dnswl,surbl,uribl", nil, ""},
		{"only, in order", Config{Only: []string{"psbl", "spamcop", "psbl"}}, "psbl,spamcop", nil, ""},
		{"dqs with key", Config{Only: []string{"spamhaus-zen-dqs"}}, "spamhaus-zen-dqs", nil, ""},
		{"unknown", Config{Only: []string{"nope"}}, "", ErrUnknownList, ""},
		{"unknown enable", Config{Enable: []string{"nope"}}, "", ErrUnknownList, ""},
		{"dead only", Config{Only: []string{"ahbl", "psbl"}}, "psbl", nil, "dead since 2015-01"},
		{"override", Config{Only: []string{"spamcop"}, Lists: []List{{Name: "spamcop", Resolver: "192.0.2.53", Rate: 5}}}, "spamcop", nil, ""},
		{"user list", Config{NoCatalogue: true, Lists: []List{{Name: "mine", Zone: "bl.example", Kind: KindIPv6}}}, "mine", nil, ""},
		{"user list without zone", Config{NoCatalogue: true, Lists: []List{{Name: "mine"}}}, "", ErrBadConfig, ""},
		{"nothing", Config{NoCatalogue: true}, "", ErrBadConfig, ""},
	}
	for _, tt := range tests {
		sel, err := selectLists(tt.cfg, cat, env)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: error %v, want %v", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := names(sel); got != tt.want {
			t.Errorf("%s: lists %s, want %s", tt.name, got, tt.want)
		}
		if tt.warn != "" && (len(sel.warnings) != 1 || !strings.Contains(sel.warnings[0], tt.warn)) {
			t.Errorf("%s: warnings %q", tt.name, sel.warnings)
		}
	}
	sel, _ := selectLists(Config{Only: []string{"spamcop"}, Lists: []List{{Name: "spamcop", Resolver: "192.0.2.53", Rate: 5}}}, cat, env)
	if l := sel.lists[0]; l.def.Zone != "bl.spamcop.net" || l.def.Resolver != "192.0.2.53" || l.def.Rate != 5 || l.def.Delist == "" {
		t.Errorf("override did not merge field by field: %+v", l.def)
	}
	if _, err := selectLists(Config{Only: []string{"spamhaus-zen-dqs"}}, cat, func(string) string { return "" }); !errors.Is(err, ErrMissingKey) || !strings.Contains(err.Error(), "REDACTED.zen.dq.spamhaus.net") {
		t.Errorf("missing key: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Timeout: -1}, "dnsbl.timeout"},
		{Config{Concurrency: 100000}, "dnsbl.concurrency"},
		{Config{Retries: 50}, "dnsbl.retries"},
		{Config{Resolver: "dns.google"}, "dnsbl.resolver"},
		{Config{Lists: []List{{Zone: "x.test"}}}, "dnsbl.lists[0].name"},
		{Config{Lists: []List{{Name: "x", Zone: "x.test", Match: "127.0.0.2"}}}, "dnsbl.lists[0] (x).match"},
		{Config{Lists: []List{{Name: "x", Zone: "x.test", Refusals: []Code{{Code: "nope"}}}}}, "dnsbl.lists[0] (x).refusals[0].code"},
		{Config{Lists: []List{{Name: "x", Zone: "bad zone"}}}, "dnsbl.lists[0] (x).zone"},
		{Config{Lists: []List{{Name: "x", Zone: "x.test", Resolver: "x"}}}, "dnsbl.lists[0] (x).resolver"},
		{Config{Lists: []List{{Name: "x", Zone: "x.test", Rate: -1}}}, "dnsbl.lists[0] (x).rate"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: error %v, want it to name %s", tt.cfg, err, tt.want)
		}
	}
	if err := (Config{Resolver: "[2001:db8::53]:5353", Timeout: 1}).Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
}
