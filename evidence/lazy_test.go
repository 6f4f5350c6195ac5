package evidence

import (
	"testing"
	"time"
)

// TestLineParserFillsLazyDetails: the details Scan reads only on demand
// (disconnect statistics, qmgr nrcpt, delivery status) are filled in for
// LineParser's callers.
func TestLineParserFillsLazyDetails(t *testing.T) {
	p := NewLineParser(FormatPostfix, time.UTC, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "maillog")
	parse := func(line string) Event {
		t.Helper()
		evs, err := p.Parse(line)
		if err != nil || len(evs) != 1 {
			t.Fatalf("%q: %v, %d events", line, err, len(evs))
		}
		if evs[0].lazy != "" {
			t.Errorf("%q: lazy detail left: %q", line, evs[0].lazy)
		}
		return evs[0]
	}
	ev := parse("Feb 11 10:00:01 mx postfix/qmgr[812]: 4BxQ2F1abc: from=<a@example.org>, size=1834, nrcpt=3 (queue active)")
	if ev.Kind != KindMessage || ev.Count != 3 {
		t.Errorf("qmgr: kind %v count %d, want message 3", ev.Kind, ev.Count)
	}
	ev = parse("Feb 11 10:00:02 mx postfix/local[901]: 4BxQ2F1abc: to=<u@victim.example>, relay=local, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)")
	if ev.Kind != KindDelivery || ev.Reply != "sent" {
		t.Errorf("delivery: kind %v reply %q, want delivery sent", ev.Kind, ev.Reply)
	}
	ev = parse("Feb 11 10:00:03 mx postfix/smtpd[700]: disconnect from a.example[192.0.2.7] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")
	if ev.Kind != KindDisconnect || ev.Stats == nil || ev.Stats.Data != 1 || ev.Stats.Commands != 5 {
		t.Errorf("disconnect: kind %v stats %+v", ev.Kind, ev.Stats)
	}
}
