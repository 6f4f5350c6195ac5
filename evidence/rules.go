package evidence

import (
	"fmt"
	"strings"
	"time"
)

// This file holds every rule that can name a host as a callout prober,
// and every rule that stops one from doing so. Nothing else in the
// package accuses anybody: the parsers and the assembler only describe a
// session (who, which sender, which recipients with which answers, whether
// DATA came, how it ended); judge reads that description and returns a
// verdict. The prefilter (prefilter.go) asks the same predicates
// (mayBeCalloutSender, isEximRandom, isSmfSavHelo) before it drops a
// session on the worker, so that there is one copy of each.
//
// A callout (see docs/evidence-json.md and the reference on callouts):
// one address verified per session (Exim adds one random local part), no
// DATA, QUIT or RSET after RCPT, sender <>, postmaster@, double-bounce@ or
// a sender that is a probe fingerprint. Every convicting rule below asks
// for that shape; what differs is the fingerprint that names the prober.
//
// The innocent classes every rule was tested against (rules_test.go,
// TestInnocent*): a spam bot with a null sender rejected by a DNSBL; a bot
// forging postmaster@own rejected by a DNSBL; a greylisted bounce
// delivered on retry; an Exim bounce with a bad recipient delivered 45 s
// later; a Postfix 2.x bounce with one good recipient; a dictionary bot
// with 30 RCPTs from <>; a client that times out or drops after an
// accepted RCPT; spamd (BLACK); an own-network verifier and an own NDR.
// And (adversarial_test.go, TestAdversarial): an authenticated (SMTP AUTH)
// client's null-sender read receipt to a departed user (Postfix auth=1,
// Exim "F=<> A=…" on the refused RCPT); a bouncer whose
// DSN was delivered before its refused one, from the same host or another
// node of its pool (same /24, or Microsoft 365's /16, by reverse name);
// the same across a DST change and New Year; a partner verifying our
// user's address while we deliver her mail (own-mail-verified); a
// forwarder verifying its forward target and then delivering to it
// (verified-then-delivered); the same partner's Exim random callout into
// our Postfix while our smtp client delivers her mail to it
// (own-mail-verified by ruleOwnMailRelayed); the DSN of a departed user's last message
// (own-mail-returned); a greylisted bounce delivered, then the partner's
// plain callout for our own mail. The own-mail rules and
// ruleVerifiedThenDelivered turn a conviction into a suspect, never the
// other way.

// Rule names (Prober.Rule, Probe.Rule). A convicting rule's name is also
// the probe kind it gives (Probe.Kind).
const (
	RuleEximRandom    = ProbeEximRandom    // Exim callout=random local part
	RulePostfixVerify = ProbePostfixVerify // Postfix address_verify_sender
	RuleSmfSav        = ProbeSmfSav        // smf-sav default HELO
	RulePostmaster    = ProbePostmaster    // MAIL FROM:<postmaster@…>, one recipient, QUIT
	RuleNullSender    = ProbeNullSender    // MAIL FROM:<>, one recipient, QUIT
	// RuleGreylistedCallout: a null-sender attempt greylisted, then the
	// same client family accepted for one recipient and gone without DATA.
	RuleGreylistedCallout = "greylisted-callout"
)

// Why a session that fits a callout is not accused (Suspect.NotAccused,
// Stats.NotAccused keys).
const (
	WhyOwnNetwork      = "own-network"             // the client is inside --network
	WhyOwnSender       = "own-sender"              // the sender is in an own domain (or the probed domain)
	WhyAuthenticated   = "authenticated"           // the client logged in (SMTP AUTH): our own user
	WhyClientPolicy    = "client-policy"           // every answer was about the client (DNSBL, rDNS, HELO, relay, rate)
	WhyTemporary       = "temporary-reject"        // only 4xx answers: a queued bounce retries the same way
	WhyManyRecipients  = "many-recipients"         // a dictionary attack or a bounce, not a callout
	WhyDropped         = "dropped"                 // timeout or lost connection: no QUIT/RSET
	WhyDelivered       = "delivered-later"         // the same client family delivered a message with DATA within 2 h (either order)
	WhySpamdBlack      = "spamd-black"             // spamd tarpitted a listed host: it is a spammer
	WhySenderUnknown   = "sender-unknown"          // the log does not record the sender
	WhyNoAnswer        = "no-recipient"            // no recipient was answered (MAIL refused)
	WhyRetried         = "retried"                 // the same address asked again by the same client family: a queued bounce
	WhyOwnMail         = "own-mail-verified"       // a callout of an address whose own mail had just left: caused by our mail, not by forged spam
	WhyForwarded       = "verified-then-delivered" // the client verified an address and then delivered a message to it: a forwarder's recipient check
	WhyOwnMailReturned = "own-mail-returned"       // a plain null-sender attempt to an own address that recently sent mail: its DSN coming back
)

// whyText is the sentence a report gives for each reason.
var whyText = map[string]string{
	WhyOwnNetwork:      "the client is inside the own networks (--network): our own verifier or bounce",
	WhyOwnSender:       "the sender is an address in the probed or an own domain: a callout's sender never is",
	WhyAuthenticated:   "the client authenticated (SMTP AUTH) with our own credentials: our user, not a stranger's verifier",
	WhyClientPolicy:    "every RCPT was refused for the client (DNSBL, reverse DNS, HELO, relay, rate or sender policy), which says nothing about the recipient",
	WhyTemporary:       "every RCPT got a temporary (4xx) answer such as greylisting: a queued bounce retries the same way",
	WhyManyRecipients:  "more recipients in one session than a callout asks for: a dictionary attack or a bounce",
	WhyDropped:         "the session timed out or was dropped without QUIT or RSET",
	WhyDelivered:       "the same client network or HELO family delivered a message with DATA from the same sender within 2 h, before or after: a bouncer (a retried or split bounce)",
	WhySpamdBlack:      "spamd tarpitted the host as listed (BLACK): a spammer, not a verifier",
	WhySenderUnknown:   "the log does not record the envelope sender",
	WhyNoAnswer:        "no recipient was asked",
	WhyOwnMail:         "a callout, but of an own address that had just sent mail (from our own network, a local submission or an authenticated client): the receiver verified our own message's sender while we delivered it, which no forged spam caused",
	WhyOwnMailReturned: "a null-sender message to an own address that sent mail (from our own network, a local submission or an authenticated client) within 5 days, refused: most likely the delivery status notification of that mail, coming back after the address was removed",
	WhyForwarded:       "the client verified the address and then delivered a message to it with DATA: a relay or forwarder checking its forward target (Postfix reject_unverified_recipient), not a check of a forged sender",
	WhyRetried:         "the same client network or HELO family asked for the same address again within 2 h, as a queued bounce retries (a callout's result is cached for hours)",
}

// The rules below join two sessions of one client family (explain.go
// finds the pairs): an earlier attempt and a later one, at most
// explainWindow apart.

// ruleRetried matches a null-sender or postmaster attempt refused for its
// recipient that repeats an earlier attempt of the same sender for the
// same recipients from the same client address within explainWindow
// (not the family: the nodes of a cloud filter each verify the same
// forged address once). A
// bounce is queued and retried (Postfix minimal_backoff_time 300 s, Exim
// every 15 min for 2 h); a callout's result is cached (Exim 2 h negative,
// Postfix 3 d), so its prober does not ask again so soon. Both attempts
// become suspects (WhyRetried).
// Tested against: the demo's backscatter host (550 at mx and gw, 14:21 to
// 15:08), a greylisted callout asked again 12 minutes later (accepted the
// second time: not a retry, convicted by ruleGreylistedCallout).
func ruleRetried(earlier, later *held) bool {
	return earlier.p.IP == later.p.IP && later.kind != heldAccepted && !later.accepted && earlier.kind != heldAccepted &&
		strings.EqualFold(earlier.p.Sender, later.p.Sender) && earlier.rcptKey == later.rcptKey
}

// ruleRetriedFarm matches a null-sender or postmaster attempt refused for
// its recipient that follows, from another address of the same client
// family (same IPv4 /24 or IPv6 /64 and same HELO domain: an outbound
// relay pool), an attempt of the same sender for the same recipients that
// got only temporary answers (greylisting), at least minRetryGap and at
// most explainWindow before: a deferred bounce is retried by whichever
// relay of the pool takes it. A temporary answer is what makes an MTA
// retry; two permanent refusals of one address from two nodes are not a
// retry (each node of a cloud filter verifies a forged address once, and
// each may be a callout), so they are left to the other rules, and so is
// a farm node asking again within minRetryGap (the spam's sender retrying
// through another node: the farm's callouts come seconds apart).
// Both attempts become suspects (WhyRetried). The cost is on the safe
// side: a farm node greylisted, whose spam comes back through another
// node 4 min or more later, loses that second probe to the suspects.
// Tested against (TestRetriedFarm, TestManifestVerdicts): a greylisted
// bounce retried 6 min later from another relay of its /24 and HELO
// domain (suspect); the real farm (testdata/mta/postfix-farm.log: .25
// greylisted, then .26 asks 2 s later: still a prober, as the same shape
// in TestRetriedFarm); another HELO domain in the /24 6 min later
// (prober); two 550s of one address from two nodes 6 min apart (both
// probers: the demo's cloud-filter nodes; the demo keeps 12 probers).
func ruleRetriedFarm(earlier, later *held) bool {
	gap := later.p.Time.Sub(earlier.p.Time)
	return earlier.p.IP != later.p.IP && earlier.kind == heldTemporary && later.kind != heldAccepted && !later.accepted &&
		gap >= minRetryGap && gap <= explainWindow && mayBeCalloutSender(earlier.p.Sender) &&
		strings.EqualFold(earlier.p.Sender, later.p.Sender) && earlier.rcptKey == later.rcptKey && sameFamily(earlier, later)
}

// ruleGreylistedCallout matches a session whose log names no sender but
// shows one recipient accepted, no DATA and QUIT or RSET (Postfix logs
// only "client=" for an accepted RCPT), after a null-sender or postmaster
// attempt of the same client family that got only a temporary answer
// (greylisting) within explainWindow. A greylisted bounce sends DATA on
// its retry; a greylisted callout asks again and leaves.
// An earlier attempt already explained by a delivery (WhyDelivered) was
// a bounce that got through: a later accepted session is not its retry.
// Tested against: a greylisted bounce delivered on retry (DATA: not
// judged), a dropped session after an accepted RCPT (WhyDropped first),
// a greylisted bounce delivered on retry and, 14 minutes later, the same
// partner's plain callout of our user for her own mail (accepted, QUIT:
// a sender-unknown suspect; adversarial_test.go).
func ruleGreylistedCallout(earlier, later *held) (verdict, bool) {
	if later.kind != heldAccepted || earlier.kind != heldTemporary || earlier.explained || !mayBeCalloutSender(earlier.p.Sender) {
		return verdict{}, false
	}
	return verdict{rule: RuleGreylistedCallout, confidence: 0.8,
		reason: fmt.Sprintf("asked for %s at %s with sender %s and got a temporary answer, then accepted for one recipient and left without DATA, with QUIT or RSET",
			strings.Join(earlier.p.Recipients, ", "), earlier.p.Time.UTC().Format("2006-01-02T15:04:05Z"), quoteAddr(earlier.p.Sender))}, true
}

// ownMailWindow is how long after an own message entered our queue a
// receiver's callout of its sender counts as caused by it. The receiver
// verifies the sender while our MTA is delivering to it (at MAIL or RCPT),
// and the queue line (Postfix qmgr "from=<…> (queue active)", Exim "<=",
// Sendmail "from=<…>") comes before every delivery attempt, retries
// included: minutes on a busy queue.
const ownMailWindow = 15 * time.Minute

// ruleOwnMailVerified matches a convicted session every named recipient of
// which (Exim's random part aside) is an own address that sent mail from
// an own network, a local submission or an authenticated (SMTP AUTH)
// client within ownMailWindow before it. A partner that runs sender verification (Exim verify = sender/callout,
// Postfix reject_unverified_sender) checks our user's address while we
// deliver our user's message: a real callout, innocent in intent, and
// nothing an abuse desk should hear about; the report lists it as a
// suspect. Postfix and Sendmail do not log the address of an accepted
// RCPT, so only a callout whose named addresses are logged (refused, or
// Exim's "incomplete transaction … for") can be matched.
// Tested against (adversarial_test.go): a partner's Exim verifying our
// user's address while our Exim delivers her message (suspect); the same
// address verified two hours after her last message (prober).
func ruleOwnMailVerified(s *session, lastUse func(addr string) (time.Time, bool)) bool {
	named := 0
	for _, r := range s.rcpts {
		if isEximRandom(r.addr) {
			continue
		}
		t, ok := lastUse(r.addr)
		at := s.probeTime()
		if !ok || t.After(at) || at.Sub(t) > ownMailWindow {
			return false
		}
		named++
	}
	return named > 0
}

// ownRelaySlack is how long after our delivery's line a callout of its
// sender may be stamped and still be that delivery's: the receiver
// verifies while our smtp client is connected, so its callout comes before
// "status=sent"; one minute covers second stamps and log order.
const ownRelaySlack = time.Minute

// ruleOwnMailRelayed matches a convicted session of a client that we were
// delivering our own mail to: our Postfix smtp client's line for a
// message from an own network, a local submission or an authenticated
// client ("to=<…>, relay=name[ip]:port, …", its sender on the qmgr line
// of the same queue id) names the client's address, or its /24 (/64)
// with the same HELO or reverse-name domain (relayFamilies), and the
// session came at most ownMailWindow before that line and at most
// ownRelaySlack after it. Every address the session names must be the
// delivered message's sender or, for an Exim callout=random part, in its
// domain. The partner's Exim (verify = sender/callout=random) checks our
// user's address while we deliver her message; Postfix logs the random
// part it refused but not the accepted address (only "client="), so
// ruleOwnMailVerified cannot see it. A suspect (WhyOwnMail), never the
// other way. addrs are the session's recipients, at its time, relayed
// the deliveries to the client's family. The cost is on the safe side: a
// relay we delivered our mail to that, in the same minutes, verifies a
// forged sender of the same domain for spam (a cloud filter's node) is a
// suspect for that probe too; Postfix's lines cannot tell the two apart.
// Order: the delivery line follows the callout in one Postfix log; such a
// conviction is held (holdShort) while own mail of its domain is in
// flight, for ownMailWindow + ownRelaySlack of the logging host's time. A
// delivery logged by another host counts if its log is read first, or
// merged in time order with the MX's; read after the MX's log it comes
// too late and the callout stays convicted.
// Tested against (adversarial_test.go): the partner's random callout of
// our user seconds before our delivery to it (suspect); the same callout
// two hours after our delivery (prober); from a host we never delivered
// to (prober); after a forged use of her address from outside, no
// delivery of ours near (prober); a node of the relay's /24 with the same
// HELO domain (suspect); our delivery to the relay with the callout named
// another own address (prober).
func ruleOwnMailRelayed(addrs []string, at time.Time, relayed []relayedMail) bool {
	named := 0
	for _, a := range addrs {
		low := strings.ToLower(a)
		random := isEximRandom(a)
		ok := false
		for _, d := range relayed {
			if gap := d.at.Sub(at); gap < -ownRelaySlack || gap > ownMailWindow {
				continue
			}
			if low == d.sender || (random && strings.EqualFold(domainOf(a), domainOf(d.sender))) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
		named++
	}
	return named > 0
}

// ownMailReturnWindow is how long after an own message a delivery status
// notification about it may come back: Postfix gives up after
// maximal_queue_lifetime (5 d) and warns after delay_warning_time; Exim's
// default retry rule gives up after 4 d.
const ownMailReturnWindow = 5 * 24 * time.Hour

// ruleOwnMailReturned matches a session convicted by the null-sender or
// postmaster rule alone (no fingerprint: no random part, no
// double-bounce@, no smf-sav HELO) every named recipient of which is an
// own address that sent mail from an own network, a local submission or
// an authenticated (SMTP AUTH) client within ownMailReturnWindow before,
// and was refused. A refused address
// does not exist now; it did when it sent that mail: the attempt is most
// likely that mail's notification (a DSN or a "delayed" warning, MAIL
// FROM:<>) returning after the user left, which has a plain callout's
// lines. A suspect, not a prober.
// Tested against (adversarial_test.go): the DSN of a departed user's last
// message (suspect); the same attempt to an address that never sent mail
// (prober); an Exim random-part callout of such an address (prober: the
// fingerprint is the proof).
func ruleOwnMailReturned(s *session, v verdict, lastUse func(addr string) (time.Time, bool)) bool {
	if v.rule != RuleNullSender && v.rule != RulePostmaster {
		return false
	}
	at := s.probeTime()
	named := 0
	for _, r := range s.rcpts {
		t, ok := lastUse(r.addr)
		if !ok || r.answer != answerRecipient || t.After(at) || at.Sub(t) > ownMailReturnWindow {
			return false
		}
		named++
	}
	return named > 0
}

// verifyThenDeliverWindow is how soon after verifying an address a relay
// or forwarder delivers the message it verified it for: the verification
// runs during the incoming SMTP session (reject_unverified_recipient), the
// delivery follows from the queue, at most minutes later.
const verifyThenDeliverWindow = 15 * time.Minute

// ruleVerifiedThenDelivered matches a held conviction whose accepted,
// named recipient (verified) then received a message with DATA from the
// same client family (rcpt, at) within verifyThenDeliverWindow. A
// forwarder (an old address at fwd.example forwarding to alice@own) that
// runs Postfix reject_unverified_recipient verifies the forward target
// through our MX and then forwards the message: a recipient check caused
// by mail to the forwarder, not a sender check caused by forged use of
// our domain. Only MTAs that log an accepted probe's address can show it
// (Exim +smtp_incomplete_transaction "incomplete transaction … for").
// Tested against (adversarial_test.go): a forwarder's verification then
// delivery (suspect); the same verification with no delivery after
// (prober); a delivery to another address (prober).
func ruleVerifiedThenDelivered(verified, rcpt string, probed, at time.Time) bool {
	gap := at.Sub(probed)
	return verified != "" && strings.EqualFold(verified, rcpt) && gap >= 0 && gap <= verifyThenDeliverWindow
}

// verdict is what judge decides about one closed session.
type verdict struct {
	rule   string // convicting rule, "" when not convicted
	reason string // why it convicts (with the session's own facts)
	// because builds reason instead, for a rule that convicts every
	// session of a callout storm: most of its probes are only counted,
	// and only a kept probe needs the text (Probe.own).
	because    func() string
	confidence float64
	notAccused string // Why* when the session fits a callout but is not accused
	fits       bool   // the session fits a callout at all (else it is ordinary mail)
	hold       heldKind
	accepted   bool      // a recipient was accepted
	verified   string    // the accepted recipient the log names, if any (ruleVerifiedThenDelivered)
	random     *rcptSeen // the Exim random recipient, if any, and its epoch
	epoch      int64
}

// facts is a session reduced to what the rules read.
type facts struct {
	s          *session
	random     *rcptSeen // the first Exim random recipient, if any
	randomHost string    // its $primary_hostname and $tod_epoch
	epoch      int64
	realRcpts  int // distinct recipients other than a random one
	accepted   int // recipients accepted
	aboutRcpt  int // recipients refused for the recipient (user unknown…)
	policy     int // recipients refused for the client
	temporary  int // recipients answered 4xx (not client policy)
	ownNet     bool
	ownSender  bool
	spamdBlack bool
	// authenticated: Postfix's statistics count a successful AUTH
	// ("auth=1"); Exim writes "F=<…> A=authenticator:id" on a refused
	// RCPT after AUTH. A callout never logs in; a roaming user's mail program
	// does, and sends read receipts (MDNs) with a null return path (RFC
	// 8098 section 3) to colleagues who may have left.
	authenticated bool
}

// judge applies the rules to a closed session: a convicting rule when the
// session carries a callout fingerprint and no innocent explanation; a
// reason not to accuse when it fits a callout and also something else.
// ownIP and own tell own networks and domains.
func judge(s *session, ownIP func(string) bool, own domainSet) verdict {
	if s.data || (s.queued && s.stats == nil) {
		// A callout never sends DATA. Without disconnect statistics
		// (Postfix 2.x) a queued message says DATA happened.
		return verdict{}
	}
	f := sessionFacts(s, ownIP, own)
	if !f.fits() {
		return verdict{}
	}
	v := f.judge()
	v.random, v.epoch = f.random, f.epoch
	return v
}

// judge is judge's part after the facts are read.
func (f *facts) judge() verdict {
	s := f.s
	if why := f.innocent(); why != "" {
		v := verdict{fits: true, notAccused: why}
		if why == WhyTemporary && s.hasSender {
			v.hold = heldTemporary // may show a greylisted callout later (ruleGreylistedCallout)
		}
		return v
	}
	for _, rule := range convictingRules {
		if v, ok := rule(f); ok {
			v.fits, v.accepted = true, f.accepted > 0
			v.verified = f.verifiedAddr()
			if v.rule == RuleNullSender || v.rule == RulePostmaster {
				v.hold = heldConvicted // a later delivery or retry may explain it (explain.go)
			} else if v.verified != "" {
				v.hold = heldVerified // only a delivery to that address may explain it (ruleVerifiedThenDelivered)
			}
			return v
		}
	}
	if !s.hasSender {
		v := verdict{fits: true, notAccused: WhySenderUnknown}
		if f.accepted == 1 && f.realRcpts <= 1 && s.quitKnown {
			v.hold, v.accepted = heldAccepted, true
		}
		return v
	}
	return verdict{}
}

// fits tells whether the session has any callout shape at all: a sender
// that callouts use (or an unlogged one), or a random-part recipient, or
// smf-sav's HELO, and at least one recipient asked. Ordinary mail with an
// ordinary sender is not looked at further.
func (f *facts) fits() bool {
	s := f.s
	if len(s.rcpts) == 0 && s.accepted == 0 {
		return false
	}
	if f.random != nil || isSmfSavHelo(s.helo) {
		return true
	}
	return !s.hasSender || mayBeCalloutSender(s.sender)
}

// innocent returns the first explanation that rules out a callout, in
// the order of the table in whyText.
func (f *facts) innocent() string {
	s := f.s
	switch {
	case f.ownNet:
		return WhyOwnNetwork
	case f.ownSender:
		return WhyOwnSender
	case f.authenticated:
		return WhyAuthenticated
	case f.spamdBlack:
		return WhySpamdBlack
	case f.random != nil:
		// The random local part is itself the proof: no bot invents
		// "$primary_hostname-$tod_epoch-testing", and a DNSBL reject of
		// the client does not change what it asked.
		return ""
	case s.dropped:
		return WhyDropped
	case f.realRcpts > maxCalloutRcpts(s):
		return WhyManyRecipients
	case f.accepted+f.aboutRcpt == 0 && f.policy > 0:
		return WhyClientPolicy
	case f.accepted+f.aboutRcpt == 0 && f.temporary > 0:
		return WhyTemporary
	case f.accepted+f.aboutRcpt == 0:
		return WhyNoAnswer
	}
	return ""
}

// maxCalloutRcpts is how many real addresses a callout session may ask
// for: one per transaction. Exim's random check and the real one are two
// transactions with RSET between (stats mail=2), so are Postfix's
// verifications over a cached connection.
func maxCalloutRcpts(s *session) int {
	n := 1 + s.resets // Exim: "incomplete transaction (RSET)" ends one
	if s.stats != nil {
		n = max(n, s.stats.Mail)
	}
	return n
}

// convictingRules are tried in order; the first that matches convicts.
var convictingRules = []func(*facts) (verdict, bool){
	ruleEximRandom,
	rulePostfixVerify,
	ruleSmfSav,
	rulePostmaster,
	ruleNullSender,
}

// ruleEximRandom matches a RCPT to "$primary_hostname-$tod_epoch-testing@domain",
// the default callout_random_local_part of Exim's callout=random (Exim
// src/globals.c), in a session without DATA. The local part names the
// prober and its clock; no bot and no bounce produces it.
// Tested against: a DNSBL-rejected bot, a dictionary bot and an own-network
// host (none uses the form; an own-network Exim that does is not accused).
func ruleEximRandom(f *facts) (verdict, bool) {
	if f.random == nil {
		return verdict{}, false
	}
	addr, host, epoch, at := f.random.addr, f.randomHost, f.epoch, f.random.at
	if at.IsZero() {
		at = f.s.probeTime()
	}
	// Built only for a kept probe (verdict.because): in a callout storm
	// every session comes here. The decoded clock and its distance from
	// the log's stamp tell the operator how far the prober's clock is off.
	return verdict{rule: RuleEximRandom, confidence: 0.99, because: func() string {
		clock := time.Unix(epoch, 0).UTC()
		return fmt.Sprintf("RCPT %s has Exim's callout_random_local_part form $primary_hostname-$tod_epoch-testing: prober %s, its clock %s (%+.0f s from the log)",
			quoteAddr(addr), host, clock.Format(time.RFC3339), at.Sub(clock).Seconds())
	}}, true
}

// rulePostfixVerify matches Postfix's verification sender
// "double-bounce@$myorigin" (address_verify_sender = $double_bounce_sender,
// Postfix src/global/mail_params.h; with address_verify_sender_ttl a
// base-31 stamp follows "double-bounce"), one recipient answered, no DATA,
// and the session ended with QUIT or RSET (not dropped).
// Tested against: an own gateway's reject_unverified_recipient probe
// (own network), a bot forging double-bounce@own (own sender), a dropped
// session, a DNSBL reject.
func rulePostfixVerify(f *facts) (verdict, bool) {
	if !f.s.hasSender || !isDoubleBounce(f.s.sender) {
		return verdict{}, false
	}
	return verdict{rule: RulePostfixVerify, confidence: 0.95,
		reason: fmt.Sprintf("sender %s is Postfix's address-verification sender, %s, and no DATA followed", quoteAddr(f.s.sender), f.answerText())}, true
}

// ruleSmfSav matches smf-sav's default HELO "yourhost.yourdomain.tld"
// (smf-sav.c, #define HELO) with a null or postmaster sender, one
// recipient answered and no DATA.
// Tested against: a DNSBL-rejected bot, a dictionary bot, a dropped session.
func ruleSmfSav(f *facts) (verdict, bool) {
	s := f.s
	if !isSmfSavHelo(s.helo) || (s.hasSender && s.sender != "" && !isPostmaster(s.sender)) {
		return verdict{}, false
	}
	return verdict{rule: RuleSmfSav, confidence: 0.95,
		reason: "HELO " + smfSavHelo + " is smf-sav's default, " + f.answerText() + ", and no DATA followed"}, true
}

// rulePostmaster matches MAIL FROM:<postmaster@domain> (Postfix before
// 2.5, smf-sav's retry, Exim's use_postmaster), one recipient answered,
// no DATA, QUIT or RSET. The sender is never in an own domain (innocent:
// a bot forging postmaster@own).
// Tested against: a bot forging postmaster@own rejected by a DNSBL, a
// dictionary bot, a greylisted bounce, a dropped session.
func rulePostmaster(f *facts) (verdict, bool) {
	if !f.s.hasSender || !isPostmaster(f.s.sender) {
		return verdict{}, false
	}
	return verdict{rule: RulePostmaster, confidence: 0.8,
		reason: fmt.Sprintf("sender %s, %s, no DATA (Postfix before 2.5, smf-sav retry, Exim use_postmaster)", quoteAddr(f.s.sender), f.answerText())}, true
}

// ruleNullSender matches MAIL FROM:<> with one recipient answered for the
// recipient (accepted, or refused as unknown), no DATA, ended by QUIT or
// RSET: Exim's and smf-sav's default callout. A null-sender bounce to a
// single unknown address has the same shape and is told apart only by a
// null-sender delivery with DATA from the same client family within 2 h,
// before or after (WhyDelivered, see explain.go).
// Tested against: a DNSBL-rejected bot, a greylisted bounce delivered on
// retry, an Exim bounce delivered 45 s later, a Postfix 2.x bounce with a
// good recipient, a dictionary bot, a dropped session, spamd BLACK, an own
// Exchange NDR, a bouncer's refused bounce after its delivered one, the
// same across a DST change, an authenticated client's read receipt
// (adversarial_test.go).
func ruleNullSender(f *facts) (verdict, bool) {
	if !f.s.hasSender || f.s.sender != "" {
		return verdict{}, false
	}
	c := 0.7
	if f.s.quitKnown {
		c = 0.8
	}
	return verdict{rule: RuleNullSender, confidence: c,
		reason: "null sender, " + f.answerText() + ", no DATA" + f.endText()}, true
}

// verifiedAddr is the first accepted recipient the log names, other than
// an Exim random part: what a verification found to exist.
func (f *facts) verifiedAddr() string {
	for _, r := range f.s.rcpts {
		if r.answer == answerAccepted && !isEximRandom(r.addr) {
			return r.addr
		}
	}
	return ""
}

// answerText says how the recipient was answered, for a reason.
func (f *facts) answerText() string {
	switch {
	case f.accepted > 0 && f.aboutRcpt > 0:
		return fmt.Sprintf("%d recipient(s) accepted and %d refused as unknown", f.accepted, f.aboutRcpt)
	case f.accepted > 0:
		return fmt.Sprintf("%d recipient(s) accepted", f.accepted)
	}
	return fmt.Sprintf("%d recipient(s) refused for the recipient", f.aboutRcpt)
}

func (f *facts) endText() string {
	if f.s.quitKnown {
		return ", QUIT or RSET after RCPT"
	}
	return ""
}

// sessionFacts reads the session once for the rules.
func sessionFacts(s *session, ownIP func(string) bool, own domainSet) facts {
	f := facts{s: s, accepted: s.accepted}
	seen := 0
	for i := range s.rcpts {
		r := &s.rcpts[i]
		if f.random == nil {
			if host, epoch, ok := parseEximRandom(r.addr); ok {
				f.random, f.randomHost, f.epoch = r, host, epoch
				continue
			}
		}
		seen++
		switch r.answer {
		case answerAccepted:
			f.accepted++
		case answerRecipient:
			f.aboutRcpt++
		case answerPolicy:
			f.policy++
		case answerTemporary:
			f.temporary++
		}
		if r.answer == answerBlack {
			f.spamdBlack = true
		}
	}
	f.realRcpts = max(seen, s.accepted)
	f.ownNet = s.ip != "" && ownIP(s.ip)
	f.authenticated = (s.stats != nil && s.stats.Auth > 0) || s.auth
	f.ownSender = s.hasSender && s.sender != "" && (own.hasAddr(s.sender) || senderInProbedDomain(s))
	return f
}

// senderInProbedDomain: a callout's sender is never in the domain it
// verifies an address of (a bot forging postmaster@victim is).
func senderInProbedDomain(s *session) bool {
	d := domainOf(s.sender)
	if d == "" {
		return false
	}
	for _, r := range s.rcpts {
		if strings.EqualFold(domainOf(r.addr), d) {
			return true
		}
	}
	return false
}

// mayBeCalloutSender tells whether a sender is one a callout uses: the
// null sender, postmaster@ or Postfix's double-bounce@. The prefilter
// asks it too.
func mayBeCalloutSender(sender string) bool {
	if sender == "" {
		return true
	}
	// The first letter rules out most senders: the prefilter asks this
	// of every queued message of a busy log.
	switch sender[0] | 0x20 {
	case 'p':
		return isPostmaster(sender)
	case 'd':
		return isDoubleBounce(sender)
	}
	return false
}

// isPostmaster: "postmaster@…" in any case.
func isPostmaster(addr string) bool {
	return strings.IndexByte(addr, '@') > 0 && strings.EqualFold(localPart(addr), "postmaster")
}

// isSmfSavHelo: smf-sav's default HELO.
func isSmfSavHelo(helo string) bool { return strings.EqualFold(helo, smfSavHelo) }

// isEximRandom: a recipient in Exim's callout=random form.
func isEximRandom(addr string) bool {
	_, _, ok := parseEximRandom(addr)
	return ok
}

// rcptAnswer is what a RCPT's answer says, as far as the rules care.
type rcptAnswer uint8

const (
	answerUnset     rcptAnswer = iota // not read yet (parseChunk reads it)
	answerAccepted                    // 250: the recipient was accepted
	answerRecipient                   // refused for the recipient (user unknown, mailbox full…)
	answerPolicy                      // refused for the client: DNSBL, rDNS, HELO, relay, rate, sender
	answerTemporary                   // 4xx that is not about the client (greylisting, try later)
	answerBlack                       // spamd (BLACK): the client is tarpitted as listed
)

// clientPolicyMarks are texts of replies about the client rather than the
// recipient. Postfix: smtpd_check.c ("Client host rejected", "blocked
// using", "Helo command rejected", "Sender address rejected", "Relay
// access denied", "too many"); Exim's and Sendmail's usual ACL and
// ruleset texts for DNSBLs, relaying and sender verification.
var clientPolicyMarks = []string{
	"blocked using", "client host rejected", "client host [", "helo command rejected",
	"sender address rejected", "relay access denied", "relaying denied", "relay not permitted",
	"too many", "rate limit", "ratelimit", "listed at", "is listed", "is in a black list",
	"blacklist", "blocklist", "dnsbl", "rbl", "reverse dns", "reverse hostname", "cannot find your hostname",
	"sender verify failed", "access denied", "service unavailable; client",
}

// classifyAnswer reads a RCPT's reply. rejected is false for an accepted
// recipient; reply is the logged reply text ("" when the MTA logs none).
func classifyAnswer(rejected bool, reply string) rcptAnswer {
	switch reply {
	case spamdBlack:
		return answerBlack
	case spamdGrey:
		// spamd answers 250 to every RCPT and 451 at DATA, and logs
		// neither: the tuple says nothing about the recipient, and a
		// greylisted bounce leaves the same line. Only a fingerprint
		// (Exim's random part, double-bounce@) convicts.
		return answerTemporary
	}
	if !rejected {
		return answerAccepted
	}
	// Postfix and Sendmail repeat the address in the reply
	// ("550 5.1.1 <a@b>: Recipient address rejected: …"): only the text
	// after it says why, and an address could hold a mark ("rbl@…").
	if i := strings.Index(reply, ">: "); i >= 0 {
		reply = reply[:min(len(reply), 4)] + reply[i+3:]
	} else if i := strings.Index(reply, ">... "); i >= 0 {
		reply = reply[:min(len(reply), 4)] + reply[i+5:]
	}
	low := strings.ToLower(reply)
	for _, m := range clientPolicyMarks {
		if strings.Contains(low, m) {
			return answerPolicy
		}
	}
	if strings.HasPrefix(low, "4") || strings.Contains(low, "reject=4") || strings.Contains(low, "greylist") ||
		strings.Contains(low, "graylist") || strings.Contains(low, "try again later") {
		return answerTemporary
	}
	return answerRecipient
}
