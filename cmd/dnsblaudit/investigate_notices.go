package main

import (
	"context"
	"errors"
	"path/filepath"
	"time"

	"github.com/dnsblaudit/dnsblaudit/investigate"
	"github.com/dnsblaudit/dnsblaudit/notify"
	"github.com/dnsblaudit/dnsblaudit/templates"
)

// errNoFrom: notices need a sender the recipients can answer.
var errNoFrom = errors.New("notices not rendered: set notify.from in the configuration (a role mailbox that accepts replies)")

// noticePart renders a case's notices the way `dnsblaudit notify --case
// DIR` would, as a dry run: .eml files in DIR/notices for review.
type noticePart struct{ opts notify.Options }

// newNoticeRenderer takes the notify section of the configuration; without
// a From address it renders nothing and says why in the case.
func newNoticeRenderer(cfg notify.Config, logZone string, now func() time.Time) (noticePart, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return noticePart{}, err
	}
	set, err := templates.Load(cfg.Templates)
	if err != nil {
		return noticePart{}, err
	}
	opts, err := noticeOptions(cfg, set, now)
	opts.LogZone = logZoneName(logZone)
	return noticePart{opts: opts}, err
}

// RenderNotices renders one callback notice per abuse desk of the probers
// and, when the evidence supports the callback explanation, the evidence
// for each list operator (a draft: lists take it through web forms).
// Without probers there is nothing to tell anyone.
func (p noticePart) RenderNotices(_ context.Context, dir string, c *investigate.Case) ([]investigate.Notice, error) {
	in, err := notify.ReadCase(dir)
	if err != nil {
		return nil, err
	}
	if len(in.Report.Probers) == 0 {
		return nil, nil
	}
	if p.opts.From == "" {
		return nil, errNoFrom
	}
	out, err := p.render(in, templates.CallbackNotice, nil, dir)
	if err != nil || c.Hypothesis.Verdict != investigate.Supported || ownCauseSupported(c) {
		return out, err
	}
	for _, ls := range c.Listings {
		l := templates.Listing{List: ls.List, Zone: ls.Zone, IP: ls.Target, Codes: ls.Codes, Reason: ls.Reason, DelistURL: ls.Delist,
			Checked: checkedAt(c, ls.Target, ls.List)}
		if len(ls.TXT) > 0 {
			l.Reason = ls.TXT[0]
		}
		more, err := p.render(in, templates.ListingEvidence, &l, dir)
		if err != nil {
			return out, err
		}
		out = append(out, more...)
	}
	return out, nil
}

// checkedAt is when the case's check saw target on list (else when the
// case was made): the listing-evidence notice dates its check by it.
func checkedAt(c *investigate.Case, target, list string) time.Time {
	for _, r := range c.Checks {
		if r.Target == target && r.List == list && !r.Checked.IsZero() {
			return r.Checked
		}
	}
	return c.Created
}

// ownCauseSupported: the logs also support a cause on our side (own
// callouts, backscatter, spam, relaying). Asking a list to delist on the
// strength of the callouts would then hide what the MX itself did.
func ownCauseSupported(c *investigate.Case) bool {
	for _, e := range c.Explanations {
		if e.Name != investigate.ExplainReceivedCallouts && e.Verdict == investigate.Supported {
			return true
		}
	}
	return false
}

func (p noticePart) render(in notify.Input, tmpl string, l *templates.Listing, dir string) ([]investigate.Notice, error) {
	o := p.opts
	o.Template, o.Listing = tmpl, l
	notices, err := notify.Render(in, o)
	if err != nil {
		return nil, err
	}
	sub := filepath.Join(investigate.NoticesDir, tmpl)
	if l != nil {
		sub = filepath.Join(sub, l.List)
	}
	paths, err := notify.WriteDir(notices, filepath.Join(dir, sub))
	if err != nil {
		return nil, err
	}
	out := make([]investigate.Notice, len(notices))
	for i, n := range notices {
		rel, _ := filepath.Rel(dir, paths[i])
		about := n.Probers
		if l != nil {
			about = []string{l.List}
		}
		out[i] = investigate.Notice{File: rel, Kind: tmpl, To: nonNil(n.To), Subject: n.Subject, About: about, Desk: n.Desk, Keys: n.Keys}
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
