package evidence

import (
	"slices"
	"strings"
	"time"
)

// Probe kinds (Probe.Kind, Prober.Kinds): the convicting rules of
// rules.go. A session whose sender the log does not show (Postfix's
// accepted RCPT, OpenSMTPD, a Sendmail reject without its from= line) is
// no longer a probe: it is a suspect (WhySenderUnknown).
const (
	ProbeEximRandom    = "exim-random"    // Exim callout=random local part
	ProbePostfixVerify = "postfix-verify" // Postfix address verification sender
	ProbeSmfSav        = "smf-sav"        // smf-sav milter default HELO
	ProbePostmaster    = "postmaster"     // MAIL FROM:<postmaster@…>, one recipient, no DATA
	ProbeNullSender    = "null-sender"    // MAIL FROM:<>, one recipient, no DATA
)

// smfSavHelo is smf-sav's default HELO (smf-sav.c, #define HELO), which
// many installations never changed.
const smfSavHelo = "yourhost.yourdomain.tld"

// probeOf writes the session as a Probe with the verdict's rule or its
// reason not to accuse. Its strings are still parts of the session's
// batch of lines (detach): a probe that is kept — in a prober's sample,
// or held for a later explanation — is given copies of its own (own).
// Most probes of a callout storm are only counted, and copying each of
// them was a third of the serial consumer's time (BENCHMARKS.md).
func probeOf(s *session, v verdict) Probe {
	p := Probe{Time: s.probeTime(), IP: s.ip, Name: s.name, Helo: s.helo, Sender: s.sender,
		Format: string(s.key.format.Format()), asked: s.askedTimes(), Recipients: s.rcptAddrs(),
		// A slice of its own: the session's is reused (sessions.free).
		Lines: slices.Clone(s.lines[:min(len(s.lines), maxProbeLines)])}
	if v.rule != "" {
		p.Kind, p.Reason, p.Confidence, p.because = v.rule, v.reason, v.confidence, v.because
	} else {
		p.NotAccused, p.Reason = v.notAccused, whyText[v.notAccused]
	}
	if r := v.random; r != nil {
		at := r.at
		if at.IsZero() {
			at = p.Time
		}
		et := time.Unix(v.epoch, 0).In(at.Location())
		skew := at.Sub(et).Seconds()
		p.Epoch, p.SkewSec = &et, &skew
	}
	return p
}

// own makes p a probe fit to keep: it copies the evidence lines out of
// the batch they were read in, into one new string, and points the
// fields taken from them there (a kept probe must not hold a whole batch
// of lines in memory), and writes the reason a rule left to build
// (verdict.because).
func (p *Probe) own() {
	if p.owned {
		return
	}
	p.owned = true
	if p.because != nil {
		p.Reason, p.because = p.because(), nil
	}
	lines, keep := keepLines(p.Lines)
	p.IP, p.Name, p.Helo, p.Sender = keep(p.IP), keep(p.Name), keep(p.Helo), keep(p.Sender)
	for i, r := range p.Recipients {
		p.Recipients[i] = keep(r)
	}
	p.Lines = lines
}

// keepLines copies lines into one new string and returns the copies, and
// a function that gives a string from that copy when it is part of one
// of the lines, else a copy of its own.
func keepLines(lines []Line) ([]Line, func(string) string) {
	n := 0
	for _, l := range lines {
		n += len(l.Raw)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, l := range lines {
		sb.WriteString(l.Raw)
	}
	all, off := sb.String(), 0
	out := make([]Line, len(lines))
	for i, l := range lines {
		out[i] = l
		out[i].Raw = all[off : off+len(l.Raw)]
		off += len(l.Raw)
	}
	keep := func(f string) string {
		for i, l := range lines {
			if g, ok := within(f, l.Raw, out[i].Raw); ok {
				return g
			}
		}
		return strings.Clone(f)
	}
	return out, keep
}

// wantedBy keeps probes about the own domains; with none configured, or
// when the log did not record the address (accepted RCPT), every probe
// counts.
func wantedBy(domains domainSet, s *session) bool {
	if domains.empty() || len(s.rcpts) == 0 {
		return true
	}
	for _, r := range s.rcpts {
		if domains.hasAddr(r.addr) {
			return true
		}
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

// askedTimes lists when each recipient was asked (zero when unknown).
func (s *session) askedTimes() []time.Time {
	out := make([]time.Time, len(s.rcpts))
	for i, r := range s.rcpts {
		out[i] = r.at
	}
	return out
}
