package evidence

import (
	"os"
	"strings"
	"testing"
)

// After detach no kept event points into the read buffer: scribbling
// over the buffer changes none of their strings.
func TestDetachSurvivesBufferReuse(t *testing.T) {
	var text strings.Builder
	for _, f := range []string{"testdata/03-postfix.log", "testdata/07-mixed-maillog.log", "testdata/01-article-spamd.log"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text.Write(b)
	}
	buf := []byte(text.String())
	b := parseChunk(FormatSyslog, "f", chunk{data: buf, buf: buf}, DefaultMaxLineBytes, 5, newDomainSet([]string{"victim.test"}), nil)
	fields := func(ev *Event) []string {
		return []string{ev.Raw, ev.Host, ev.Session, ev.Sub, ev.QueueID, ev.IP, ev.Name, ev.Helo, ev.Sender, ev.Recipient, ev.Reply, ev.lazy}
	}
	var before [][]string
	for i := range b.events {
		var cp []string
		for _, f := range fields(&b.events[i]) {
			cp = append(cp, strings.Clone(f))
		}
		before = append(before, cp)
	}
	if len(before) < 20 {
		t.Fatalf("only %d events", len(before))
	}
	for i := range buf {
		buf[i] = 'X'
	}
	for i := range b.events {
		for j, f := range fields(&b.events[i]) {
			if f != before[i][j] {
				t.Fatalf("event %d field %d changed with the buffer: %q, was %q", i, j, f, before[i][j])
			}
		}
	}
}
