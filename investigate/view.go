package investigate

import (
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// maxLines is how many raw log lines per prober the reports quote; all of
// them stay in case.json.
const maxLines = 12

// view is the case arranged for the report templates, so the templates
// hold layout only.
type view struct {
	C        *Case
	Verdict  string // human words for the hypothesis verdict
	Others   []dnsbl.Result
	Probers  []proberView
	Unsure   []dnsbl.Result // unknown, error, bogus, refused: say so plainly
	Timeline any            // the SVG, for HTML only
	Best     *Explanation   // the best-supported explanation, nil when none was weighed
}

type proberView struct {
	evidence.Prober
	Epochs     []string
	Contacts   []whoisctx.Contact
	ContactErr string
	Lines      []evidence.Line
	More       int
}

var verdictWords = map[string]string{
	Supported:    "Callbacks explain the listing",
	Partial:      "Callbacks seen; the explanation is only partly supported",
	NotSupported: "No callbacks: the evidence does not support a callback explanation",
	Unknown:      "Callbacks unknown: no log line was read",
}

func newView(c *Case) view {
	v := view{C: c, Verdict: verdictWords[c.Hypothesis.Verdict]}
	if len(c.Explanations) > 0 {
		v.Best = &c.Explanations[0]
	}
	for _, r := range c.Checks {
		switch r.Verdict {
		case dnsbl.Listed:
		case dnsbl.NotListed:
			v.Others = append(v.Others, r)
		default:
			v.Unsure = append(v.Unsure, r)
		}
	}
	contacts := map[string]ProberContacts{}
	for _, pc := range c.Contacts {
		contacts[pc.IP] = pc
	}
	for _, p := range c.Evidence.Probers {
		v.Probers = append(v.Probers, newProberView(p, contacts[p.IP]))
	}
	return v
}

func newProberView(p evidence.Prober, pc ProberContacts) proberView {
	pv := proberView{Prober: p, Contacts: pc.Contacts, ContactErr: pc.Error}
	seen := map[int64]bool{}
	for _, ev := range p.Events {
		if ev.Epoch != nil && !seen[ev.Epoch.Unix()] {
			seen[ev.Epoch.Unix()] = true
			pv.Epochs = append(pv.Epochs, epochText(ev))
		}
		for _, l := range ev.Lines {
			if len(pv.Lines) < maxLines {
				pv.Lines = append(pv.Lines, l)
			} else {
				pv.More++
			}
		}
	}
	return pv
}

// epochText reads an Exim random-callout epoch with the prober's clock skew.
func epochText(ev evidence.Probe) string {
	s := fmt.Sprintf("%d = %s", ev.Epoch.Unix(), stamp(*ev.Epoch))
	if ev.SkewSec != nil {
		s += fmt.Sprintf(" (log time %s prober clock)", skewWords(*ev.SkewSec))
	}
	return s
}

func skewWords(sec float64) string {
	d := time.Duration(sec * float64(time.Second))
	if d == 0 {
		return "equals"
	}
	if d > 0 {
		return delta(d) + " after"
	}
	return delta(-d) + " before"
}
