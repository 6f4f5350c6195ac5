package watch

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// ChangeKind names what changed. The JSON output uses these strings.
type ChangeKind string

// The change kinds.
const (
	// Listed: a target is now listed (confirmed), including the first
	// runs of a new watch.
	Listed ChangeKind = "listed"
	// Delisted: a listed target is clean again (confirmed).
	Delisted ChangeKind = "delisted"
	// Unhealthy: a list failed its health checks (confirmed); its
	// verdicts are unknown until it recovers.
	Unhealthy ChangeKind = "unhealthy"
	// Healthy: an unhealthy list passes its health checks again.
	Healthy ChangeKind = "healthy"
	// Unknown: a (target, list) verdict has been unknown for longer than
	// Config.UnknownAfter (reported once per unknown stretch).
	Unknown ChangeKind = "unknown"
)

// Change is one confirmed change, as alerts and --format json carry it.
type Change struct {
	Kind ChangeKind `json:"kind"`
	// Target is the address or domain looked up ("" for list health).
	Target string `json:"target,omitempty"`
	// Asked is the configured target it came from (a CIDR, a hostname)
	// when different from Target.
	Asked string `json:"asked,omitempty"`
	List  string `json:"list"`
	Zone  string `json:"zone"`
	// From and To are the confirmed states before and after:
	// listed / not_listed for targets, healthy / unhealthy for lists,
	// and "unknown" for To of an Unknown change. From is "" the first
	// time a subject is seen.
	From string `json:"from"`
	To   string `json:"to"`
	// Since is when the runs started to see the new state; At is this run.
	Since time.Time `json:"since"`
	At    time.Time `json:"at"`
	// Runs is how many consecutive runs confirmed it.
	Runs     int           `json:"runs"`
	Verdict  dnsbl.Verdict `json:"verdict,omitempty"`
	Codes    []string      `json:"codes,omitempty"`
	Meanings []string      `json:"meanings,omitempty"`
	// Severity weighs a listing (block, policy, informational), so that
	// a hook or a reader can tell a PBL listing from an SBL one.
	Severity dnsbl.Severity `json:"severity,omitempty"`
	TXT      []string       `json:"txt,omitempty"`
	Reason   string         `json:"reason,omitempty"`
	Delist   string         `json:"delist_url,omitempty"`
}

// Headline is the change in a few words (mail subject, text output).
func (c Change) Headline() string {
	switch c.Kind {
	case Listed:
		return fmt.Sprintf("%s listed on %s", c.Target, c.List)
	case Delisted:
		return fmt.Sprintf("%s delisted from %s", c.Target, c.List)
	case Unhealthy:
		return fmt.Sprintf("list %s unhealthy", c.List)
	case Healthy:
		return fmt.Sprintf("list %s healthy again", c.List)
	case Unknown:
		return fmt.Sprintf("%s on %s: verdict unknown since %s", c.Target, c.List, c.Since.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("%s %s %s", c.Kind, c.Target, c.List)
}

// writeText writes the change for a person: the headline, then the
// evidence. Text from the list (TXT, reason) is made terminal-safe.
func (c Change) writeText(w io.Writer) {
	fmt.Fprintf(w, "* %s\n", textsafe.Line(c.Headline()))
	if c.Asked != "" {
		fmt.Fprintf(w, "  configured as: %s\n", textsafe.Line(c.Asked))
	}
	fmt.Fprintf(w, "  zone: %s\n", textsafe.Line(c.Zone))
	if len(c.Codes) > 0 {
		fmt.Fprintf(w, "  codes: %s\n", textsafe.Line(strings.Join(c.Codes, ", ")))
	}
	if len(c.Meanings) > 0 {
		fmt.Fprintf(w, "  meaning: %s\n", textsafe.Line(strings.Join(c.Meanings, "; ")))
	}
	if c.Severity != "" {
		fmt.Fprintf(w, "  severity: %s\n", c.Severity)
	}
	if c.Reason != "" {
		fmt.Fprintf(w, "  reason: %s\n", textsafe.Line(c.Reason))
	}
	for _, t := range c.TXT {
		fmt.Fprintf(w, "  list says: %s\n", textsafe.Line(t))
	}
	if c.Delist != "" && c.Kind == Listed {
		fmt.Fprintf(w, "  delisting: %s\n", textsafe.Line(c.Delist))
	}
	if c.Kind == Unknown {
		if c.From != "" {
			fmt.Fprintf(w, "  last definite state: %s\n", c.From)
		}
		return
	}
	fmt.Fprintf(w, "  seen since %s (%d run(s))\n", c.Since.UTC().Format(time.RFC3339), c.Runs)
}

// WriteText writes the change for a person (see writeText).
func (c Change) WriteText(w io.Writer) { c.writeText(w) }
