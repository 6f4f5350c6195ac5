package investigate

import (
	"fmt"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/bounce"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// SinceBounce is the SinceSource of a listing whose time comes from a
// bounce: the rejection's time (RFC 3464 Arrival-Date, else the bounce's
// Date). A listing was in effect by then; it may have begun earlier.
const SinceBounce = "bounce"

// BounceSource says which bounce a listing was read from (`investigate
// --bounce`): the rejection is the evidence of the listing, whether or
// not any DNS query can see it.
type BounceSource struct {
	File       string     `json:"file"`
	Recipient  string     `json:"recipient"`
	RemoteMTA  string     `json:"remote_mta"`
	Status     string     `json:"status,omitempty"`
	Diagnostic string     `json:"diagnostic"`
	Time       *time.Time `json:"time,omitempty"`
	TimeSource string     `json:"time_source,omitempty"` // "arrival-date", "last-attempt-date", "date"
	Kind       string     `json:"kind"`                  // "dnsbl", "provider", "reputation" (bounce.Rejection)
	Provider   string     `json:"provider,omitempty"`
	// DNSStatus is the DNS catalogue's state of the list: "active",
	// "disabled", "dead", or "" when no DNS query can see the list.
	DNSStatus string `json:"dns_status,omitempty"`
}

// bounceListings adds the listings that bounces name. A listing the DNS
// check also found gains the bounce as a second source (and its time,
// when the history had none); one no DNS query can see is added as the
// rejection tells it. Rejections of another address than the subject are
// left out, with a warning.
func (inv *Investigator) bounceListings(c *Case, failures []bounce.Failure) {
	for _, f := range failures {
		if !f.Blocklisted {
			continue
		}
		target, ok := bounceTarget(c, f)
		if !ok {
			named := f.ListedIP
			if named == "" {
				named = f.ListedDomain
			}
			c.Warnings = append(c.Warnings, fmt.Sprintf("bounce %s: the rejection names %s on %s, not the subject %s or an own domain: left out",
				textsafe.Line(f.File), textsafe.Line(named), textsafe.Line(f.List), c.Subject))
			continue
		}
		ls := bounceListing(f, target)
		if d := f.DNSList; d != nil && d.Status == bounce.ListDead {
			c.Warnings = append(c.Warnings, fmt.Sprintf("bounce %s: the receiver %s still rejects by %s, a DNS list dead since %s (%s): its answers mean nothing",
				textsafe.Line(f.File), textsafe.Line(f.RemoteMTA), d.Name, d.Dead, d.DeadReason))
		}
		mergeListing(c, ls)
	}
}

// bounceTarget is what the rejection lists: its quoted address when it
// quotes one (it must be the subject), an own domain it quotes, else the
// subject, which sent the rejected mail.
func bounceTarget(c *Case, f bounce.Failure) (string, bool) {
	if f.ListedIP != "" {
		return f.ListedIP, f.ListedIP == c.Subject
	}
	for _, d := range c.Domains {
		if f.ListedDomain != "" && strings.EqualFold(d, f.ListedDomain) {
			return d, true
		}
	}
	return c.Subject, f.ListedDomain == ""
}

func bounceListing(f bounce.Failure, target string) Listing {
	src := &BounceSource{
		File: f.File, Recipient: f.Recipient, RemoteMTA: f.RemoteMTA, Status: f.Status,
		Diagnostic: f.Diagnostic, Time: f.Time, TimeSource: f.TimeSource, Kind: f.Kind, Provider: f.Provider,
	}
	ls := Listing{
		Target: target, List: f.List, Codes: []string{}, Meanings: []string{}, TXT: []string{},
		Reason: f.Diagnostic, Delist: f.DelistURL, CalloutWords: CalloutWords(f.Diagnostic), Bounce: src,
	}
	if d := f.DNSList; d != nil {
		ls.List, ls.Zone, src.DNSStatus = d.Name, d.Zone, d.Status
	}
	if f.Time != nil {
		ls.Since, ls.SinceSource = f.Time, SinceBounce
	}
	return ls
}

// mergeListing adds ls, or joins it to the listing of the same list and
// target already in the case, keeping the earliest known time.
func mergeListing(c *Case, ls Listing) {
	for i := range c.Listings {
		have := &c.Listings[i]
		if have.List != ls.List || have.Target != ls.Target {
			continue
		}
		if have.Bounce == nil {
			have.Bounce = ls.Bounce
		}
		if ls.Since != nil && (have.Since == nil || have.SinceSource == SinceBounce && ls.Since.Before(*have.Since)) {
			have.Since, have.SinceSource = ls.Since, SinceBounce
		}
		if len(have.CalloutWords) == 0 {
			have.CalloutWords = ls.CalloutWords
		}
		return
	}
	c.Listings = append(c.Listings, ls)
}

// bounceFact is the fact a bounce's listing adds to the hypothesis.
func bounceFact(ls Listing) Fact {
	b := ls.Bounce
	text := fmt.Sprintf("A bounce (%s) says %s rejected mail to %s because %s lists %s: %q.",
		textsafe.Line(b.File), orUnknown(b.RemoteMTA), orUnknown(b.Recipient), textsafe.Line(ls.List), textsafe.Line(ls.Target),
		textsafe.ClipRunes(textsafe.Line(b.Diagnostic), 200))
	if b.DNSStatus == "" {
		text += " No DNS query can see this list."
	}
	f := Fact{Source: "bounce", Text: text}
	if ls.SinceSource == SinceBounce {
		f.Time = ls.Since
		f.Text += " The listing was in effect by then; it may have begun earlier."
	}
	return f
}

func orUnknown(s string) string {
	if s = textsafe.Line(s); s == "" {
		return "(not named)"
	}
	return s
}
