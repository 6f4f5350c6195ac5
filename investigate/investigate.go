package investigate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/bounce"
	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// The parts an investigation composes. Each is a small interface so the
// package never depends on how a part is configured, and tests and the demo
// can hand in parts wired to loopback servers.
type (
	// Checker checks targets (IPs, domains) against the configured lists
	// and reports every verdict and the health of every list.
	Checker interface {
		Check(ctx context.Context, targets []string) (*dnsbl.Report, error)
	}
	// History tells when the current listing of target on a list began;
	// ok is false when the history has no record of it.
	History interface {
		ListingStart(ctx context.Context, target, list string) (start time.Time, ok bool, err error)
	}
	// Scanner reads the configured logs over a window of log time.
	Scanner interface {
		Scan(ctx context.Context, since, until time.Time) (evidence.Report, error)
	}
	// OutboundScanner reads the outbound side of the same logs: what
	// the MX itself sent.
	OutboundScanner interface {
		ScanOutbound(ctx context.Context, since, until time.Time) (*outbound.Report, error)
	}
	// CleanHistory, when the History has it, tells the last time before
	// a listing's start that a run saw the target clean on that list; ok
	// is false when no run did (the start is then only "first seen").
	CleanHistory interface {
		LastClean(ctx context.Context, target, list string, before time.Time) (at time.Time, ok bool, err error)
	}
	// ContactFinder finds the abuse contacts of a host, best first
	// (whoisctx.Finder): a lookup that found nothing is a result with no
	// contacts, the error is for unusable input.
	ContactFinder interface {
		Lookup(ctx context.Context, query string) (*whoisctx.Result, error)
	}
)

// DefaultLookback is how far before the listing start the logs are read
// when --since is not given: callout caches (Exim 24 h positive, Postfix
// 31 d) mean the probes that matter come shortly before a listing, and
// three days covers a weekend.
const DefaultLookback = 72 * time.Hour

// ErrNoSubject is returned when the request names no IP.
var ErrNoSubject = errors.New("no IP to investigate")

// Request is what the operator asked for.
type Request struct {
	Subject  string    // the listed IP
	Domains  []string  // own domains, also checked on domain lists
	Since    time.Time // zero: DefaultLookback before the listing start
	Until    time.Time // zero: now
	Lookback time.Duration
	// Bounces are rejections read from bounces (investigate --bounce):
	// those that blame a list become listings beside the DNS ones.
	Bounces []bounce.Failure
}

// Investigator composes the parts. History and Contacts may be nil: the
// case then says the start of a listing is unknown, or has no contacts.
type Investigator struct {
	Checker  Checker
	History  History
	Scanner  Scanner
	Outbound OutboundScanner // nil: the outbound explanations are unknown
	Contacts ContactFinder
	Now      func() time.Time
	// LinkWindow bounds a forged use's link to a probe (default
	// evidence.DefaultLinkWindow).
	LinkWindow time.Duration
}

// Run builds the case: check, history, scan, contacts, hypothesis.
// Failures of one part that leave the rest meaningful become warnings in
// the case; only a failed scan (no evidence at all) is an error.
func (inv *Investigator) Run(ctx context.Context, req Request) (*Case, error) {
	if req.Subject == "" {
		return nil, ErrNoSubject
	}
	now := inv.now().UTC().Truncate(time.Second)
	c := &Case{Schema: Schema, Created: now, Subject: req.Subject, Domains: req.Domains}
	inv.check(ctx, c)
	inv.bounceListings(c, req.Bounces)
	c.Window = window(req, c.Listings, now)
	rep, err := inv.Scanner.Scan(ctx, c.Window.Since, c.Window.Until)
	if err != nil {
		return nil, fmt.Errorf("investigate %s: scan logs: %w", req.Subject, err)
	}
	c.Evidence = rep
	if inv.Outbound != nil {
		ob, err := inv.Outbound.ScanOutbound(ctx, c.Window.Since, c.Window.Until)
		if err != nil {
			c.Warnings = append(c.Warnings, "outbound logs: "+err.Error())
		}
		c.Outbound = ob
	}
	inv.contacts(ctx, c)
	c.Explanations = Weigh(Evidence{Listings: c.Listings, Received: rep, Outbound: c.Outbound,
		LinkWindow: inv.LinkWindow, Lookback: req.Lookback})
	c.Hypothesis = hypothesisOf(c.Explanations)
	c.Timeline = Timeline(c)
	return c, nil
}

func (inv *Investigator) now() time.Time {
	if inv.Now != nil {
		return inv.Now()
	}
	return time.Now()
}

// check runs the check and turns listed results into listings with their
// start from the history.
func (inv *Investigator) check(ctx context.Context, c *Case) {
	targets := append([]string{c.Subject}, c.Domains...)
	rep, err := inv.Checker.Check(ctx, targets)
	if err != nil {
		c.Warnings = append(c.Warnings, "check: "+err.Error())
		return
	}
	c.Checks, c.Health = rep.Results, rep.Health
	for _, w := range rep.Warnings {
		c.Warnings = append(c.Warnings, "check: "+w)
	}
	if n := undecided(rep.Results); n > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("check: %d of %d lookups gave no definite answer (refused, error, bogus or unknown): a list missing from the listings may still list the subject", n, len(rep.Results)))
	}
	for _, r := range rep.Results {
		if r.Verdict != dnsbl.Listed {
			continue
		}
		ls := listingOf(r)
		inv.since(ctx, c, &ls)
		c.Listings = append(c.Listings, ls)
	}
}

func undecided(rs []dnsbl.Result) int {
	n := 0
	for _, r := range rs {
		if r.Verdict != dnsbl.Listed && r.Verdict != dnsbl.NotListed {
			n++
		}
	}
	return n
}

func listingOf(r dnsbl.Result) Listing {
	return Listing{
		Target: r.Target, List: r.List, Zone: r.Zone, Codes: r.Codes, Meanings: r.Meanings,
		Reason: r.Reason, TXT: r.TXT, Delist: r.Delist,
		CalloutWords: CalloutWords(append([]string{r.Reason}, r.TXT...)...),
	}
}

func (inv *Investigator) since(ctx context.Context, c *Case, ls *Listing) {
	if inv.History == nil {
		return
	}
	t, ok, err := inv.History.ListingStart(ctx, ls.Target, ls.List)
	switch {
	case err != nil:
		c.Warnings = append(c.Warnings, fmt.Sprintf("history of %s on %s: %v", ls.Target, ls.List, err))
	case ok:
		ls.Since, ls.SinceSource, ls.SinceKind = &t, "history", SinceFirstSeen
		inv.bracket(ctx, c, ls)
	}
}

// bracket looks for a clean run before the start: only then did the
// listing begin between the two, rather than at some unknown time before
// this tool first saw it.
func (inv *Investigator) bracket(ctx context.Context, c *Case, ls *Listing) {
	ch, ok := inv.History.(CleanHistory)
	if !ok {
		return
	}
	at, ok, err := ch.LastClean(ctx, ls.Target, ls.List, *ls.Since)
	switch {
	case err != nil:
		c.Warnings = append(c.Warnings, fmt.Sprintf("history of %s on %s: %v", ls.Target, ls.List, err))
	case ok:
		ls.SinceKind, ls.CleanBefore = SinceBracketed, &at
	}
}

// hypothesisOf is the received-callouts entry in its old form.
func hypothesisOf(es []Explanation) Hypothesis {
	for _, e := range es {
		if e.Name == ExplainReceivedCallouts {
			return Hypothesis{Verdict: e.Verdict, Summary: e.Summary, Facts: e.Facts}
		}
	}
	return Hypothesis{}
}

// window is the log time to scan: the flags when given, else from
// DefaultLookback before the earliest known listing start (or before now)
// until now.
func window(req Request, listings []Listing, now time.Time) Window {
	w := Window{Since: req.Since, Until: req.Until, Source: "flags"}
	if w.Until.IsZero() {
		w.Until = now
	}
	if !w.Since.IsZero() {
		return w
	}
	back := req.Lookback
	if back <= 0 {
		back = DefaultLookback
	}
	anchor, src := now, "default"
	for _, ls := range listings {
		if ls.Since != nil && ls.Since.Before(anchor) {
			anchor, src = *ls.Since, "listing-start"
		}
	}
	w.Since, w.Source = anchor.Add(-back), src
	return w
}

// contacts looks up every prober, most probes first; a failed lookup is
// kept with its error, so the report says whom it could not find.
func (inv *Investigator) contacts(ctx context.Context, c *Case) {
	probers := append([]evidence.Prober(nil), c.Evidence.Probers...)
	sort.SliceStable(probers, func(i, j int) bool { return probers[i].Probes > probers[j].Probes })
	for _, p := range probers {
		pc := ProberContacts{IP: p.IP, HeloNames: p.HeloNames, Probes: p.Probes, Contacts: []whoisctx.Contact{}}
		if inv.Contacts != nil {
			res, err := inv.Contacts.Lookup(ctx, p.IP)
			switch {
			case err != nil:
				pc.Error = err.Error()
			case res != nil:
				// One order everywhere: the case lists contacts as
				// whois shows them and notify chooses among them.
				pc.Contacts, pc.Lookup = whoisctx.Rank(res.Contacts), res
				if len(res.Contacts) == 0 {
					pc.Error = "no abuse contact found: " + strings.Join(res.Warnings, "; ")
				}
			}
			if pc.Contacts == nil {
				pc.Contacts = []whoisctx.Contact{}
			}
		}
		c.Contacts = append(c.Contacts, pc)
	}
}
