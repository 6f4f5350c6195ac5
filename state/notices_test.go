package state

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/notify"
)

func TestNoticeRecordRoundTrip(t *testing.T) {
	db, path := openTemp(t)
	ctx := context.Background()
	at := time.Date(2017, 9, 5, 10, 0, 0, 0, time.UTC)
	if last, err := db.LastSent(ctx, "abuse@example.net"); err != nil || !last.IsZero() {
		t.Fatalf("LastSent on empty db = %v, %v", last, err)
	}
	keys := make([]string, 1200) // more than one IN list
	for i := range keys {
		keys[i] = notify.IncidentKey("192.0.2.74", fmt.Sprintf("a%d@example.org", i), at)
	}
	rec := notify.SentRecord{
		MessageID: "notice-1@example.org", SentAt: at, Desk: "abuse@example.net",
		To: []string{"Abuse@Example.net"}, Template: "callback-notice", Subject: "SMTP callback probes from 192.0.2.74",
		Probers: []string{"192.0.2.74"}, Keys: keys, Transport: "smtp",
	}
	if err := db.RecordSent(ctx, rec); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err := Open(ctx, path, Options{MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ask := append(slices.Clone(keys[590:610]), "192.0.2.74|never@example.org|2017-09-05")
	got, err := db.SentKeys(ctx, "abuse@example.net", ask)
	if err != nil || len(got) != 20 || got["192.0.2.74|never@example.org|2017-09-05"] {
		t.Fatalf("SentKeys = %d keys, %v", len(got), err)
	}
	if got, _ := db.SentKeys(ctx, "other@example.net", keys); len(got) != 0 {
		t.Errorf("another desk sees %d keys", len(got))
	}
	all, _ := db.SentKeys(ctx, "abuse@example.net", keys)
	if len(all) != len(keys) {
		t.Errorf("SentKeys over chunks = %d, want %d", len(all), len(keys))
	}
	if last, _ := db.LastSent(ctx, "abuse@example.net"); !last.Equal(at) {
		t.Errorf("LastSent = %v", last)
	}
	list, err := db.SentNotices(ctx, "")
	if err != nil || len(list) != 1 || list[0].MessageID != rec.MessageID || !slices.Equal(list[0].To, rec.To) || list[0].Subject != rec.Subject {
		t.Errorf("SentNotices = %+v, %v", list, err)
	}
}

// A Message-ID is recorded once: a second record with it fails whole,
// leaving no stray incident keys behind.
func TestNoticeRecordIsAtomic(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	rec := notify.SentRecord{MessageID: "dup@example.org", SentAt: time.Unix(0, 0), Desk: "a@example.net", Keys: []string{"k1"}}
	if err := db.RecordSent(ctx, rec); err != nil {
		t.Fatal(err)
	}
	rec.Desk, rec.Keys = "b@example.net", []string{"k2"}
	if err := db.RecordSent(ctx, rec); err == nil {
		t.Fatal("duplicate Message-ID recorded")
	}
	if got, _ := db.SentKeys(ctx, "b@example.net", []string{"k2"}); len(got) != 0 {
		t.Error("failed record left its keys")
	}
}
