package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
	"github.com/dnsblaudit/dnsblaudit/templates"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// maxInput bounds what ReadEvidence and ReadCase accept: a scan report of
// a busy year is tens of megabytes; anything far beyond is a mistake.
const maxInput = 512 << 20

// Input is what notices are made from: the evidence, the abuse contacts of
// each prober IP (best first), and for a listing-evidence notice the
// listing itself.
type Input struct {
	Report   evidence.Report
	Contacts map[string][]whoisctx.Contact
	Listing  *templates.Listing
	// Networks are the registry records of the probers' networks (from a
	// case's lookups, or LookupMissing); OurIPs the operator's MX (a
	// case's subject); Outbound what our outbound logs show (a case's
	// "outbound"; nil when not read).
	Networks map[string]templates.Network
	OurIPs   []string
	Outbound *templates.Outbound
}

// evidenceFile is the JSON of `evidence scan`, which may carry a
// "contacts" object (IP -> contacts) added by hand or by another tool.
type evidenceFile struct {
	evidence.Report
	Contacts map[string][]whoisctx.Contact `json:"contacts"`
}

// ReadEvidence reads the JSON of `dnsblaudit evidence scan`
// (docs/evidence-json.md), with an optional top-level "contacts" object.
func ReadEvidence(path string) (Input, error) {
	data, err := readLimited(path)
	if err != nil {
		return Input{}, err
	}
	return ParseEvidence(path, data)
}

// ParseEvidence decodes evidence JSON; name is used in errors.
func ParseEvidence(name string, data []byte) (Input, error) {
	var f evidenceFile
	if err := decodeJSON(data, &f); err != nil {
		return Input{}, fmt.Errorf("%w: %s: %w", ErrInput, name, err)
	}
	in := Input{Report: f.Report, Contacts: f.Contacts}
	return in, checkInput(name, in)
}

// caseFile is the part of an investigation's case.json that notify reads
// (docs/notify.md, "--case"): the evidence, the contacts per prober, and
// the listings.
type caseFile struct {
	Subject string    `json:"subject"`
	Created time.Time `json:"created"`
	Checks  []struct {
		Target  string    `json:"target"`
		List    string    `json:"list"`
		Checked time.Time `json:"checked"`
	} `json:"checks"`
	Window   struct{ Since, Until time.Time } `json:"window"`
	Evidence *evidence.Report                 `json:"evidence"`
	Outbound *outbound.Report                 `json:"outbound"`
	Contacts []struct {
		IP       string             `json:"ip"`
		Contacts []whoisctx.Contact `json:"contacts"`
		Lookup   *whoisctx.Result   `json:"lookup"`
	} `json:"contacts"`
	Listings []struct {
		Target string   `json:"target"`
		List   string   `json:"list"`
		Zone   string   `json:"zone"`
		Codes  []string `json:"codes"`
		Reason string   `json:"reason"`
		TXT    []string `json:"txt"`
		Delist string   `json:"delist_url"`
	} `json:"listings"`
}

// checked is when the case's check saw target on list, else when the
// case was made.
func (f *caseFile) checked(target, list string) time.Time {
	for _, c := range f.Checks {
		if c.Target == target && c.List == list && !c.Checked.IsZero() {
			return c.Checked
		}
	}
	return f.Created
}

// ReadCase reads DIR/case.json written by `dnsblaudit investigate`.
func ReadCase(dir string) (Input, error) {
	path := filepath.Join(dir, "case.json")
	data, err := readLimited(path)
	if err != nil {
		return Input{}, err
	}
	return ParseCase(path, data)
}

// ParseCase decodes case.json; name is used in errors.
func ParseCase(name string, data []byte) (Input, error) {
	var f caseFile
	if err := decodeJSON(data, &f); err != nil {
		return Input{}, fmt.Errorf("%w: %s: %w", ErrInput, name, err)
	}
	if f.Evidence == nil {
		return Input{}, fmt.Errorf("%w: %s: no \"evidence\" field", ErrInput, name)
	}
	in := Input{Report: *f.Evidence, Contacts: map[string][]whoisctx.Contact{}, Networks: map[string]templates.Network{}}
	for _, pc := range f.Contacts {
		in.Contacts[pc.IP] = append(in.Contacts[pc.IP], pc.Contacts...)
		in.addNetwork(pc.IP, pc.Lookup)
	}
	if f.Subject != "" {
		in.OurIPs = []string{f.Subject}
	}
	in.Outbound = outboundFacts(f.Outbound, in.Report.Probers, f.Window.Since, f.Window.Until)
	if len(f.Listings) > 0 {
		l := f.Listings[0]
		reason := l.Reason
		if len(l.TXT) > 0 {
			reason = l.TXT[0]
		}
		in.Listing = &templates.Listing{List: l.List, Zone: l.Zone, IP: l.Target, Codes: l.Codes, Reason: reason, DelistURL: l.Delist,
			Checked: f.checked(l.Target, l.List)}
	}
	return in, checkInput(name, in)
}

// ReadContacts reads a JSON object mapping prober IPs to contacts, as
// `dnsblaudit whois --format json` users assemble them.
func ReadContacts(path string) (map[string][]whoisctx.Contact, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	var m map[string][]whoisctx.Contact
	if err := decodeJSON(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInput, path, err)
	}
	return m, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInput, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInput, path, err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%w: %s: larger than %d MiB", ErrInput, path, maxInput>>20)
	}
	return data, nil
}

// decodeJSON names the offset and field of a type error, so a user can
// find the bad spot in a large file.
func decodeJSON(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("at byte %d: %w", se.Offset, err)
	case errors.As(err, &te):
		return fmt.Errorf("field %q at byte %d: %w", te.Field, te.Offset, err)
	}
	return err
}

// checkInput refuses evidence a notice cannot be built on: every prober
// needs a valid IP, since it goes into the subject, headers and file names.
func checkInput(name string, in Input) error {
	for i, p := range in.Report.Probers {
		if _, err := netip.ParseAddr(p.IP); err != nil {
			return fmt.Errorf("%w: %s: probers[%d].ip %q is not an IP address", ErrInput, name, i, p.IP)
		}
	}
	return nil
}

// ContactsOf returns the contacts of a prober IP, matching the keys of
// Contacts by address rather than spelling ("2001:DB8::1" is
// "2001:db8::1", "::ffff:192.0.2.1" is "192.0.2.1").
func (in *Input) ContactsOf(ip string) []whoisctx.Contact {
	if cs := in.Contacts[ip]; len(cs) > 0 {
		return cs
	}
	want, err := netip.ParseAddr(ip)
	if err != nil {
		return nil
	}
	for k, cs := range in.Contacts {
		if a, err := netip.ParseAddr(k); err == nil && a.Unmap() == want.Unmap() && len(cs) > 0 {
			return cs
		}
	}
	return nil
}

// ContactFinder looks up the abuse contacts of an IP; *whoisctx.Finder
// satisfies it.
type ContactFinder interface {
	Lookup(ctx context.Context, query string) (*whoisctx.Result, error)
}

// LookupMissing asks finder for the contacts of every prober that has none
// in the input. A failed lookup is not fatal (the notice becomes a draft
// that needs a recipient); its error is returned in the map.
func LookupMissing(ctx context.Context, in *Input, finder ContactFinder) map[string]error {
	failed := map[string]error{}
	if in.Contacts == nil {
		in.Contacts = map[string][]whoisctx.Contact{}
	}
	for _, p := range in.Report.Probers {
		if len(in.ContactsOf(p.IP)) > 0 {
			continue
		}
		res, err := finder.Lookup(ctx, p.IP)
		if err != nil {
			failed[p.IP] = err
			continue
		}
		if res != nil {
			in.Contacts[p.IP] = res.Contacts
			in.addNetwork(p.IP, res)
		}
	}
	return failed
}

// addNetwork keeps the registry's prefix of a lookup, when it has one.
func (in *Input) addNetwork(ip string, res *whoisctx.Result) {
	if res == nil || res.Prefix == "" {
		return
	}
	if in.Networks == nil {
		in.Networks = map[string]templates.Network{}
	}
	in.Networks[ip] = templates.Network{Prefix: res.Prefix, Registry: res.Registry, NetName: res.NetName}
}

// outboundFacts is what a notice may say about our outbound mail: nothing
// unless the outbound logs were read and hold deliveries at all (logs of
// a filter in front of the MX show nothing it sent).
//
// The time it speaks for is what the MX's own delivery lines span (the
// first and last delivery, local or remote, callout or bounce), inside the
// case's window: the window is what was asked for, and logs that begin on
// the 20th say nothing of the 17th.
func outboundFacts(o *outbound.Report, probers []evidence.Prober, since, until time.Time) *templates.Outbound {
	if o == nil || !o.Read || o.Deliveries.Count+o.Local.Count+o.Callouts.Count+o.Bounces.Remote.Count == 0 {
		return nil
	}
	first, last := loggedSpan(o)
	if first.IsZero() || first.Before(since) {
		first = since
	}
	if last.IsZero() || !until.IsZero() && last.After(until) {
		last = until
	}
	f := &templates.Outbound{Since: first, Until: last, Deliveries: o.Deliveries.Count, Callouts: o.Callouts.Count, Bounces: o.Bounces.Remote.Count}
	for _, p := range probers {
		if o.SentTo(p.IP) {
			f.SentTo = append(f.SentTo, p.IP)
		}
	}
	return f
}

// loggedSpan is the first and last time the outbound tallies record: the
// part of the window the MX's delivery log demonstrably covers.
func loggedSpan(o *outbound.Report) (first, last time.Time) {
	for _, t := range []outbound.Tally{o.Deliveries, o.Local, o.Callouts, o.Bounces.Remote} {
		if t.First != nil && (first.IsZero() || t.First.Before(first)) {
			first = *t.First
		}
		if t.Last != nil && t.Last.After(last) {
			last = *t.Last
		}
	}
	return first, last
}
