package evidence

import "testing"

// TestSendmailLostInputIsDropped: Sendmail's "lost input channel" and
// "timeout waiting for input" lines (srvrsmtp.c smtp(), util.c sfgets())
// say the client left without QUIT: the session is a suspect
// (WhyDropped), never a probe. The same sessions without those lines
// are convicted, so the lines alone make the difference.
func TestSendmailLostInputIsDropped(t *testing.T) {
	const refused = `Feb 27 15:49:02 batman sm-mta[88377]: s1REn1un088377: ruleset=check_rcpt, arg1=<ghost@example.com>, relay=client.example.net [198.51.100.9], reject=550 5.1.1 <ghost@example.com>... User unknown
`
	const refusedEnd = `Feb 27 15:49:33 batman sm-mta[88377]: s1REn1un088377: from=<>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=client.example.net [198.51.100.9]
`
	const other = `Feb 27 16:00:31 batman sm-mta[88390]: s1RFA0ab088390: ruleset=check_rcpt, arg1=<nobody@example.com>, relay=other.example.org [203.0.113.44], reject=550 5.1.1 <nobody@example.com>... User unknown
`
	const otherEnd = `Feb 27 16:10:31 batman sm-mta[88390]: s1RFA0ab088390: from=<>, size=0, class=0, nrcpts=0, proto=ESMTP, daemon=MTA-v4, relay=other.example.org [203.0.113.44]
`
	const lost = `Feb 27 15:49:33 batman sm-mta[88377]: s1REn1un088377: lost input channel from client.example.net [198.51.100.9] to MTA-v4 after rcpt
`
	const timeout = `Feb 27 16:10:31 batman sm-mta[88390]: s1RFA0ab088390: timeout waiting for input from other.example.org during server cmd read
`
	for _, c := range []struct {
		name, log string
		dropped   bool
	}{
		{"refused, QUIT", refused + refusedEnd, false},
		{"other refused, QUIT", other + otherEnd, false},
		{"refused, lost input channel", refused + lost + refusedEnd, true},
		{"other refused, timeout", other + timeout + otherEnd, true},
	} {
		rep := scanText(t, c.log, "example.com")
		dropped := rep.Stats.NotAccused[WhyDropped]
		switch {
		case c.dropped && (len(rep.Probers) != 0 || dropped != 1):
			t.Errorf("%s: probers %d, dropped %d; want none and 1 suspect session (%v)", c.name, len(rep.Probers), dropped, rep.Stats.NotAccused)
		case !c.dropped && (len(rep.Probers) == 0 || dropped != 0):
			t.Errorf("%s: probers %d, dropped %d; want a prober (control)", c.name, len(rep.Probers), dropped)
		}
	}
}
