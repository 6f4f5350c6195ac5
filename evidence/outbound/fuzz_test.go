package outbound

import (
	"strings"
	"testing"
	"time"
)

// FuzzParse: no line may panic the reader, and a recognised record keeps
// its fields inside the line it came from.
func FuzzParse(f *testing.F) {
	for _, l := range strings.Split(backscatterPostfix+eximOutbound, "\n") {
		f.Add(l)
	}
	f.Add("Nov 27 06:28:03 mx exim[1]: 2026-11-27 06:28:03 H=(a) [1.2.3.4] sender verify fail for <a@b>: h [1.2.3.4] : SMTP error from remote mail server after RCPT TO:<a@b>: 550 x")
	f.Fuzz(func(t *testing.T, line string) {
		Parse(line, time.UTC, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		r, _ := parseLine(line)
		for _, v := range []string{r.qid, r.sender, r.sasl, r.to, r.newQID} {
			if v != "" && !strings.Contains(line, v) {
				t.Fatalf("field %q not in %q", v, line)
			}
		}
	})
}
