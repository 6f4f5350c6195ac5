package demo

import (
	"context"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/state"
)

// The demo must show every verdict: that is its point.
func TestZonesShowEveryVerdict(t *testing.T) {
	story := Story{MX: "203.0.113.25", Domains: []string{"example.com"}}
	zones := Zones(story)
	srv, err := ServeZones(zones)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	chk, err := dnsbl.NewChecker(dnsbl.Config{Resolver: srv.Addr, Lists: Lists(zones), NoCatalogue: true, Timeout: time.Second, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer chk.Close()
	rep, err := chk.Check(context.Background(), []string{story.MX, "example.com"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]dnsbl.Verdict{}
	for _, r := range rep.Results {
		got[r.List] = r.Verdict
		if r.List == "callbackrl" && (len(r.TXT) != 1 || r.Delist == "") {
			t.Errorf("callbackrl listing lacks its TXT or delisting page: %+v", r)
		}
	}
	want := map[string]dnsbl.Verdict{
		"callbackrl": dnsbl.Listed, "quietbl": dnsbl.NotListed, "worldbl": dnsbl.Unknown,
		"refusebl": dnsbl.Refused, "parkedbl": dnsbl.Bogus, "brokenbl": dnsbl.Error, "domainbl": dnsbl.NotListed,
	}
	for list, v := range want {
		if got[list] != v {
			t.Errorf("%s: verdict %q, want %q", list, got[list], v)
		}
	}
	if t.Failed() {
		for _, r := range rep.Results {
			t.Logf("%s %s %s: %s", r.Target, r.List, r.Verdict, r.Reason)
		}
	}
}

func TestSeedHistory(t *testing.T) {
	s := Story{MX: "203.0.113.25", ListingStart: time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)}
	path := t.TempDir() + "/state.db"
	if err := SeedHistory(context.Background(), path, s, Zones(s)); err != nil {
		t.Fatal(err)
	}
	db, err := state.Open(context.Background(), path, state.Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start, ok, err := db.ListingStart(context.Background(), s.MX, "callbackrl")
	if err != nil || !ok || !start.Equal(s.ListingStart) {
		t.Errorf("listing start = %v %v %v, want %v", start, ok, err, s.ListingStart)
	}
}
