package evidence

import "testing"

// farmTry is one Postfix smtpd session of a null-sender attempt for
// gone@victim.test from ip with HELO helo, answered with reply.
func farmTry(at, pid, ip, helo, reply string) string {
	return pfx(at, "smtpd["+pid+"]: connect from "+helo+"["+ip+"]") +
		pfx(at, "smtpd["+pid+"]: NOQUEUE: reject: RCPT from "+helo+"["+ip+"]: "+reply+"; from=<> to=<gone@victim.test> proto=ESMTP helo=<"+helo+">") +
		pfx(at, "smtpd["+pid+"]: disconnect from "+helo+"["+ip+"] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")
}

const (
	greylisted  = "450 4.2.0 <gone@victim.test>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/victim.test.html"
	userUnknown = "550 5.1.1 <gone@victim.test>: Recipient address rejected: User unknown in local recipient table"
)

// TestRetriedFarm: ruleRetriedFarm groups a deferred bounce's retry from
// another relay of its pool (same /24, same HELO domain, at least
// minRetryGap after a temporary answer) and nothing else.
func TestRetriedFarm(t *testing.T) {
	for _, c := range []ruleCase{
		{name: "greylisted bounce retried 6 min later by another relay of the pool", ip: "198.51.100.11", suspect: WhyRetried,
			log: farmTry("05:00:00", "130", "198.51.100.10", "out1.relay.partner.example", greylisted) +
				farmTry("05:06:00", "131", "198.51.100.11", "out2.relay.partner.example", userUnknown)},
		{name: "farm node asks 2 s after another was greylisted (f-farm-greylist-retry)", ip: "198.51.100.11", prober: RuleNullSender,
			log: farmTry("05:00:00", "132", "198.51.100.10", "out1.relay.partner.example", greylisted) +
				farmTry("05:00:02", "133", "198.51.100.11", "out2.relay.partner.example", userUnknown)},
		{name: "a stranger in the /24 with another HELO domain 6 min later", ip: "198.51.100.11", prober: RuleNullSender,
			log: farmTry("05:00:00", "134", "198.51.100.10", "out1.relay.partner.example", greylisted) +
				farmTry("05:06:00", "135", "198.51.100.11", "mx.stranger.example.net", userUnknown)},
		{name: "two nodes refuse-checked one address 6 min apart: no temporary answer, no retry", ip: "198.51.100.11", prober: RuleNullSender,
			log: farmTry("05:00:00", "136", "198.51.100.10", "out1.relay.partner.example", userUnknown) +
				farmTry("05:06:00", "137", "198.51.100.11", "out2.relay.partner.example", userUnknown)},
		{name: "the first of those two nodes", ip: "198.51.100.10", prober: RuleNullSender,
			log: farmTry("05:00:00", "138", "198.51.100.10", "out1.relay.partner.example", userUnknown) +
				farmTry("05:06:00", "139", "198.51.100.11", "out2.relay.partner.example", userUnknown)},
	} {
		t.Run(c.name, func(t *testing.T) { judgeCase(t, c) })
	}
}
