package evidence

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func scanText(t *testing.T, log string, domains ...string) *Report {
	t.Helper()
	o := scanOpts("-")
	o.Domains = domains
	o.Stdin = strings.NewReader(log)
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stats.Malformed != 0 {
		t.Errorf("%d malformed lines: %+v", rep.Stats.Malformed, rep.Stats.Files)
	}
	return rep
}

// probeRecipients lists the recipients of each session that fits a
// callout, accused or not, in time order: these tests are about how
// sessions are cut, not about the verdicts.
func probeRecipients(r *Report, ip string) []string {
	var evs []Probe
	for _, p := range r.Probers {
		if p.IP == ip {
			evs = append(evs, p.Events...)
		}
	}
	for _, p := range r.Suspects {
		if p.IP == ip {
			evs = append(evs, p.Events...)
		}
	}
	slices.SortStableFunc(evs, func(a, b Probe) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return firstLineCompare(&a, &b)
	})
	var out []string
	for _, e := range evs {
		out = append(out, strings.Join(e.Recipients, " "))
	}
	return out
}

// Exim mainlog lines without +pid: the connections of one client are told
// apart by what the log says about them.
func TestEximSessionsWithoutPid(t *testing.T) {
	cases := []struct {
		name string
		log  string
		want []string // recipients of each probe
	}{
		{"callout=random: random, RSET, real address in one connection", `2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <mx.p.test-1795760910-testing@victim.test>: Unrouteable address
2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] incomplete transaction (RSET) from <>
2026-11-27 06:28:31 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <keerheior@victim.test>: Unrouteable address
2026-11-27 06:28:31 H=(mx.p.test) [192.0.2.5] incomplete transaction (QUIT) from <>
2026-11-27 06:28:31 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <anecowuutp@victim.test>: Unrouteable address
`, []string{"mx.p.test-1795760910-testing@victim.test keerheior@victim.test", "anecowuutp@victim.test"}},
		{"a transaction seconds after RSET is another connection", `2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] F=<double-bounce@p.test> rejected RCPT <a@victim.test>: Unrouteable address
2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] incomplete transaction (RSET) from <double-bounce@p.test>
2026-11-27 06:28:35 H=(mx.p.test) [192.0.2.5] F=<double-bounce@p.test> rejected RCPT <b@victim.test>: Unrouteable address
`, []string{"a@victim.test", "b@victim.test"}},
		{"a new sender is another connection", `2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] F=<double-bounce@p.test> rejected RCPT <a@victim.test>: Unrouteable address
2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] F=<postmaster@p.test> rejected RCPT <b@victim.test>: Unrouteable address
`, []string{"a@victim.test", "b@victim.test"}},
		{"closed by QUIT and no MAIL end the connection", `2026-11-27 06:28:29 SMTP connection from [192.0.2.5]:40112 I=[127.0.0.45]:25 (TCP/IP connection count = 1)
2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <a@victim.test>: Unrouteable address
2026-11-27 06:28:30 SMTP connection from (mx.p.test) [192.0.2.5]:40112 I=[127.0.0.45]:25 D=1s closed by QUIT
2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <b@victim.test>: Unrouteable address
2026-11-27 06:28:31 no MAIL in SMTP connection from (mx.p.test) [192.0.2.5]:40113 I=[127.0.0.45]:25 D=1s C=EHLO,MAIL,RCPT,QUIT
2026-11-27 06:28:31 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <c@victim.test>: Unrouteable address
`, []string{"a@victim.test", "b@victim.test", "c@victim.test"}},
		{"lines a minute apart are two connections", `2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <a@victim.test>: Unrouteable address
2026-11-27 06:29:30 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <b@victim.test>: Unrouteable address
`, []string{"a@victim.test", "b@victim.test"}},
		{"an accepted probe is one connection however many recipients it names", `2026-11-27 06:28:41 H=(mx.p.test) [192.0.2.5] incomplete transaction (QUIT) from <> for a@victim.test b@victim.test
2026-11-27 06:28:41 H=(mx.p.test) [192.0.2.5] incomplete transaction (QUIT) from <> for c@victim.test
`, []string{"a@victim.test b@victim.test", "c@victim.test"}},
		{"a message from the prober does not undo its earlier probe", `2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <a@victim.test>: Unrouteable address
2026-11-27 06:28:30 H=(mx.p.test) [192.0.2.5] incomplete transaction (RSET) from <>
2026-11-27 06:28:31 1xWpSS-0001aB-1L <= news@p.test H=(mx.p.test) [192.0.2.5] P=esmtp S=483
`, []string{"a@victim.test"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := scanText(t, tc.log, "victim.test")
			if got := probeRecipients(r, "192.0.2.5"); !slices.Equal(got, tc.want) {
				t.Errorf("probes %q, want %q", got, tc.want)
			}
		})
	}
}

// With +pid the process id names the connection: an RSET or a new sender
// inside it does not split it, and two pids never share one.
func TestEximSessionsWithPid(t *testing.T) {
	log := `2026-11-27 06:28:30 [101] H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <a@victim.test>: Unrouteable address
2026-11-27 06:28:30 [102] H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <b@victim.test>: Unrouteable address
2026-11-27 06:28:30 [101] H=(mx.p.test) [192.0.2.5] incomplete transaction (RSET) from <>
2026-11-27 06:28:36 [101] H=(mx.p.test) [192.0.2.5] F=<postmaster@p.test> rejected RCPT <c@victim.test>: Unrouteable address
2026-11-27 06:28:37 [101] SMTP connection from (mx.p.test) [192.0.2.5]:40112 I=[127.0.0.45]:25 D=7s closed by QUIT
2026-11-27 06:28:38 [101] H=(mx.p.test) [192.0.2.5] F=<> rejected RCPT <d@victim.test>: Unrouteable address
`
	r := scanText(t, log, "victim.test")
	want := []string{"a@victim.test c@victim.test", "b@victim.test", "d@victim.test"}
	if got := probeRecipients(r, "192.0.2.5"); !slices.Equal(got, want) {
		t.Errorf("probes %q, want %q", got, want)
	}
}

// A forged sender named on an incomplete-transaction line is one use,
// however many recipients the line lists.
func TestEximIncompleteLineIsOneUse(t *testing.T) {
	log := `2026-11-27 06:28:41 H=(pc1.spam.test) [192.0.2.9] incomplete transaction (QUIT) from <x@victim.test> for a@elsewhere.test b@elsewhere.test c@elsewhere.test
`
	r := scanText(t, log, "victim.test")
	if fs := r.Campaign.ForgedSenders; len(fs) != 1 || fs[0].Count != 1 {
		t.Errorf("forged senders %+v, want x@victim.test used once", fs)
	}
}
