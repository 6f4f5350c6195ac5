package state

import (
	"context"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// List health and daily query counts survive the process: a reopened
// state file gives them back.
func TestListStoreRoundTrip(t *testing.T) {
	db, path := openTemp(t)
	ctx := context.Background()
	s := db.ListStore(ctx)
	at := time.Date(2026, 12, 1, 23, 59, 0, 0, time.UTC)
	rec := dnsbl.HealthRecord{Health: dnsbl.Health{List: "zen", Zone: "zen.example", Status: dnsbl.Unhealthy, Reason: "lists 127.0.0.1"},
		Resolver: "127.0.0.1:53", Checked: at}
	if err := s.SaveHealth([]dnsbl.HealthRecord{rec}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSpent(map[string]int64{"zen": 40}, at); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSpent(map[string]int64{"zen": 10}, at); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db2, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	s = db2.ListStore(ctx)
	got, err := s.LoadHealth()
	if err != nil {
		t.Fatal(err)
	}
	if g := got["zen"]; g.Health != rec.Health || g.Resolver != rec.Resolver || !g.Checked.Equal(at) {
		t.Errorf("health %+v, want %+v", g, rec)
	}
	if n, _ := s.SpentToday("zen", at); n != 50 {
		t.Errorf("spent %d, want 50", n)
	}
	if n, _ := s.SpentToday("zen", at.Add(time.Minute)); n != 0 {
		t.Errorf("next UTC day: spent %d, want 0", n)
	}
}
