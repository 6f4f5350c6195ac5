package evidence

import (
	"fmt"
	"strings"
	"time"
)

// Probe kinds (Probe.Kind, Prober.Kinds).
const (
	ProbeEximRandom     = "exim-random"      // Exim callout=random local part
	ProbePostfixVerify  = "postfix-verify"   // Postfix address verification sender
	ProbeSmfSav         = "smf-sav"          // smf-sav milter default HELO
	ProbePostmaster     = "postmaster"       // MAIL FROM:<postmaster@…>, RCPT only
	ProbeNullSender     = "null-sender"      // MAIL FROM:<>, RCPT only, no DATA
	ProbeAcceptedNoData = "accepted-no-data" // recipient accepted, no DATA, sender not logged
	ProbeRcptOnly       = "rcpt-only"        // recipients refused, no DATA, sender not logged
)

// smfSavHelo is smf-sav's default HELO (smf-sav.c, #define HELO), which
// many installations never changed.
const smfSavHelo = "yourhost.yourdomain.tld"

// classifier turns closed sessions into probes.
type classifier struct {
	domains domainSet
}

// classify decides whether s was a callout. Rules, strongest first; the
// first that matches gives kind, reason and confidence.
func (c *classifier) classify(s *session) (Probe, bool) {
	if s.data {
		return Probe{}, false // a callout never sends DATA
	}
	p := Probe{Time: s.probeTime(), IP: strings.Clone(s.ip), Name: strings.Clone(s.name), Helo: strings.Clone(s.helo),
		Sender: strings.Clone(s.sender), Recipients: s.recipients(), Format: string(s.key.format.Format()), asked: s.askedTimes()}
	if !c.wanted(p.Recipients) {
		return Probe{}, false
	}
	switch {
	case c.eximRandom(s, &p):
	case s.hasSender && isDoubleBounce(s.sender):
		p.Kind, p.Confidence = ProbePostfixVerify, 0.95
		p.Reason = fmt.Sprintf("sender %s is Postfix's address-verification sender (address_verify_sender = $double_bounce_sender) and no DATA followed", quoteAddr(s.sender))
	case strings.EqualFold(s.helo, smfSavHelo) && len(p.Recipients) > 0:
		p.Kind, p.Confidence = ProbeSmfSav, 0.95
		p.Reason = "HELO " + smfSavHelo + " is smf-sav's default and no DATA followed"
	case s.hasSender && strings.EqualFold(localPart(s.sender), "postmaster") && len(p.Recipients) > 0:
		p.Kind, p.Confidence = ProbePostmaster, 0.8
		p.Reason = fmt.Sprintf("sender %s asked for recipients and left without DATA (Postfix before 2.5, smf-sav retry, Exim use_postmaster)", quoteAddr(s.sender))
	case s.hasSender && s.sender == "" && len(p.Recipients) > 0:
		p.Kind = ProbeNullSender
		p.Confidence = 0.5
		p.Reason = fmt.Sprintf("null sender asked for %d recipient(s) and left", len(p.Recipients))
		if s.noData {
			p.Confidence = 0.7
			p.Reason += "; the log shows no DATA"
		} else {
			p.Reason += "; no DATA is logged"
		}
	case !s.hasSender && s.accepted > 0 && s.noData && s.stats != nil && s.stats.Mail > 0:
		p.Kind, p.Confidence = ProbeAcceptedNoData, 0.3
		p.Reason = fmt.Sprintf("recipient accepted (queue file opened) and disconnect statistics show no DATA (mail=%d rcpt=%d/%d); the sender is not logged", s.stats.Mail, s.stats.RcptOK, s.stats.RcptAll)
	case !s.hasSender && len(p.Recipients) > 0 && s.noData:
		p.Kind, p.Confidence = ProbeRcptOnly, 0.4
		p.Reason = fmt.Sprintf("asked for %d recipient(s) and left without DATA; the log does not record the sender", len(p.Recipients))
	default:
		return Probe{}, false
	}
	p.Lines = make([]Line, len(s.lines))
	for i, l := range s.lines {
		p.Lines[i] = keepLine(l)
	}
	return p, true
}

// wanted keeps probes about the own domains; with none configured, or when
// the log did not record the address (accepted RCPT), every probe counts.
func (c *classifier) wanted(rcpts []string) bool {
	if c.domains.empty() || len(rcpts) == 0 {
		return true
	}
	for _, r := range rcpts {
		if c.domains.hasAddr(r) {
			return true
		}
	}
	return false
}

// eximRandom recognises "$primary_hostname-$tod_epoch-testing@domain", the
// default of callout_random_local_part (Exim src/globals.c), decodes the
// epoch (the prober's clock when it probed) and the skew against the log.
func (c *classifier) eximRandom(s *session, p *Probe) bool {
	for _, r := range s.rcpts {
		host, epoch, ok := parseEximRandom(r.addr)
		if !ok {
			continue
		}
		at := r.at
		if at.IsZero() {
			at = p.Time
		}
		et := time.Unix(epoch, 0).In(at.Location())
		skew := at.Sub(et).Seconds()
		p.Kind, p.Confidence, p.Epoch, p.SkewSec = ProbeEximRandom, 0.99, &et, &skew
		p.Reason = fmt.Sprintf("RCPT %s has Exim's callout_random_local_part form $primary_hostname-$tod_epoch-testing: prober %s, its clock %s (%+.0f s from the log)",
			quoteAddr(r.addr), host, et.UTC().Format(time.RFC3339), skew)
		return true
	}
	return false
}

// parseEximRandom splits "<host>-<epoch>-testing@domain".
func parseEximRandom(addr string) (host string, epoch int64, ok bool) {
	lp := localPart(addr)
	rest, found := strings.CutSuffix(strings.ToLower(lp), "-testing")
	if !found {
		return "", 0, false
	}
	i := strings.LastIndexByte(rest, '-')
	if i <= 0 {
		return "", 0, false
	}
	digits := rest[i+1:]
	if len(digits) < 9 || len(digits) > 10 {
		return "", 0, false
	}
	for j := 0; j < len(digits); j++ {
		if digits[j] < '0' || digits[j] > '9' {
			return "", 0, false
		}
		epoch = epoch*10 + int64(digits[j]-'0')
	}
	return lp[:i], epoch, true
}

// isDoubleBounce recognises Postfix's verification sender: "double-bounce@"
// and, with address_verify_sender_ttl set, "double-bounce" followed by a
// base-31 time stamp (digits and a-u).
func isDoubleBounce(addr string) bool {
	lp := strings.ToLower(localPart(addr))
	suffix, ok := strings.CutPrefix(lp, "double-bounce")
	if !ok || strings.IndexByte(addr, '@') < 0 {
		return false
	}
	for i := 0; i < len(suffix); i++ {
		c := suffix[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'u') {
			return false
		}
	}
	return true
}

func quoteAddr(a string) string { return "<" + a + ">" }

// probeTime is when the client asked its first recipient, else when the
// session started.
func (s *session) probeTime() time.Time {
	for _, r := range s.rcpts {
		if !r.at.IsZero() {
			return r.at
		}
	}
	return s.start
}

// recipients lists the addresses asked about, in order.
func (s *session) recipients() []string {
	out := make([]string, 0, len(s.rcpts))
	for _, r := range s.rcpts {
		out = append(out, strings.Clone(r.addr))
	}
	return out
}

// askedTimes lists when each recipient was asked (zero when unknown).
func (s *session) askedTimes() []time.Time {
	out := make([]time.Time, len(s.rcpts))
	for i, r := range s.rcpts {
		out[i] = r.at
	}
	return out
}
