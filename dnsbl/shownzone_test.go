package dnsbl

import (
	"strings"
	"testing"
)

// A zone is shown with its key redacted however the key was written,
// including where no lookup ever parses the zone: the message about a
// dead list.
func TestShownZoneHidesLiteralDQSKey(t *testing.T) {
	const key = "a1b2c3secretkey"
	for _, zone := range []string{key + ".zen.dq.spamhaus.net", "{key}.zen.dq.spamhaus.net", strings.ToUpper(key) + ".dbl.dq.spamhaus.com"} {
		if got := shownZone(zone); strings.Contains(strings.ToLower(got), key) || !strings.Contains(got, redactedKey) {
			t.Errorf("shownZone(%q) = %q", zone, got)
		}
	}
	if got := shownZone("bl.example.org"); got != "bl.example.org" {
		t.Errorf("plain zone changed: %q", got)
	}
	l := List{Name: "old-dqs", Zone: key + ".zen.dq.spamhaus.net", Dead: "2020-01-01"}
	if msg := l.deadMessage(); strings.Contains(msg, key) {
		t.Errorf("dead-list message shows the key: %q", msg)
	}
}
