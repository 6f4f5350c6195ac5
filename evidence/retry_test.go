package evidence

import (
	"context"
	"strings"
	"testing"
)

// A bounce to a forged address is retried (here 16 and 31 minutes later);
// a callout is asked once. The retried one is backscatter, not a prober.
func TestRetriedBounceIsBackscatter(t *testing.T) {
	log := `Nov 20 14:21:24 mx postfix/smtpd[31286]: connect from mx.bounce.example[198.51.100.99]
Nov 20 14:21:25 mx postfix/smtpd[31286]: NOQUEUE: reject: RCPT from mx.bounce.example[198.51.100.99]: 550 5.1.1 <otjllo@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<otjllo@victim.test> proto=ESMTP helo=<mx.bounce.example>
Nov 20 14:21:26 mx postfix/smtpd[31286]: disconnect from mx.bounce.example[198.51.100.99] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4
Nov 20 14:30:00 mx postfix/smtpd[31290]: connect from mx.callout.example[192.0.2.90]
Nov 20 14:30:00 mx postfix/smtpd[31290]: NOQUEUE: reject: RCPT from mx.callout.example[192.0.2.90]: 550 5.1.1 <otjllo@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<otjllo@victim.test> proto=ESMTP helo=<mx.callout.example>
Nov 20 14:30:01 mx postfix/smtpd[31290]: disconnect from mx.callout.example[192.0.2.90] ehlo=1 mail=1 rcpt=0/1 rset=1 quit=1 commands=4/5
Nov 20 14:30:40 mx postfix/smtpd[31291]: connect from mx.callout.example[192.0.2.90]
Nov 20 14:30:40 mx postfix/smtpd[31291]: NOQUEUE: reject: RCPT from mx.callout.example[192.0.2.90]: 550 5.1.1 <otjllo@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<otjllo@victim.test> proto=ESMTP helo=<mx.callout.example>
Nov 20 14:30:41 mx postfix/smtpd[31291]: disconnect from mx.callout.example[192.0.2.90] ehlo=1 mail=1 rcpt=0/1 rset=1 quit=1 commands=4/5
Nov 20 14:37:24 mx postfix/smtpd[31304]: connect from mx.bounce.example[198.51.100.99]
Nov 20 14:37:25 mx postfix/smtpd[31304]: NOQUEUE: reject: RCPT from mx.bounce.example[198.51.100.99]: 550 5.1.1 <otjllo@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<otjllo@victim.test> proto=ESMTP helo=<mx.bounce.example>
Nov 20 14:37:26 mx postfix/smtpd[31304]: disconnect from mx.bounce.example[198.51.100.99] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4
Nov 20 15:08:25 mx postfix/smtpd[31311]: connect from mx.bounce.example[198.51.100.99]
Nov 20 15:08:25 mx postfix/smtpd[31311]: NOQUEUE: reject: RCPT from mx.bounce.example[198.51.100.99]: 550 5.1.1 <otjllo@victim.test>: Recipient address rejected: User unknown in local recipient table; from=<> to=<otjllo@victim.test> proto=ESMTP helo=<mx.bounce.example>
Nov 20 15:08:25 mx postfix/smtpd[31311]: disconnect from mx.bounce.example[198.51.100.99] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4
`
	o := scanOpts("-")
	o.Stdin = strings.NewReader(log)
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Probers) != 1 || rep.Probers[0].IP != "192.0.2.90" || rep.Probers[0].Probes != 2 {
		t.Fatalf("probers %+v: want only the callout host, its two quick probes kept", rep.Probers)
	}
	bs := rep.Campaign.Backscatter
	if len(bs) != 1 || bs[0].Address != "otjllo@victim.test" || bs[0].Count != 3 || bs[0].Clients[0] != "198.51.100.99" || len(bs[0].Lines) == 0 {
		t.Fatalf("backscatter %+v: want the three bounce attempts", bs)
	}
	if !strings.Contains(bs[0].Lines[0].Raw, "reject: RCPT") {
		t.Errorf("backscatter evidence should be the line naming the address: %q", bs[0].Lines[0].Raw)
	}
}
