package notify

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/templates"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// Options say how notices are rendered and addressed.
type Options struct {
	Template  string         // default templates.CallbackNotice
	Templates *templates.Set // nil: the embedded defaults
	// From is the role mailbox the notices come from ("Name <addr>");
	// ReplyTo and EnvelopeFrom default to it.
	From         string
	ReplyTo      string
	EnvelopeFrom string
	// Operator signs the notices; its Address is taken from From.
	Operator templates.Operator
	// To redirects every per-desk notice to one address (review copies);
	// for a single-notice template (listing-evidence, vendor-inquiry) it
	// is the recipient.
	To     string
	Policy Policy
	// XARF asks for an X-ARF 0.2 report part; it is refused (ErrNoXARF).
	XARF    bool
	Listing *templates.Listing // overrides Input.Listing
	Vendor  *templates.Vendor
	InfoURL string
	Zone    *time.Location // nil: UTC
	// LogZone names the zone of the quoted log lines' stamps that carry
	// none (evidence.time_zone); "" when not known.
	LogZone string
	// OurIPs are the operator's MX addresses (notify.mx_ips); a notice
	// names the input's (a case's subject) first, then these.
	OurIPs []string
	Now    func() time.Time // nil: time.Now
	// MessageID returns a new Message-ID without angle brackets; nil:
	// random, at From's domain.
	MessageID func() string
}

// Notice is one rendered message and what it is about.
type Notice struct {
	Template     string
	Desk         string            // dedupe desk, lower case ("" for a draft)
	Contact      *whoisctx.Contact // the contact chosen (nil for a draft)
	From         string            // validated, "Name <addr>" form
	ReplyTo      string
	EnvelopeFrom string
	To           []string // header and envelope recipients; empty for a draft
	OriginalTo   string   // the desk's address when To was redirected
	ReviewCopy   bool     // To was redirected (--to): never recorded as sent
	Subject      string
	Body         string
	MessageID    string // without angle brackets
	Date         time.Time
	Probers      []string // prober IPs reported
	Keys         []string // incident keys covered
	// NeedsRecipient: no contact was found; the notice is a draft.
	NeedsRecipient bool
	// NeedsReview: the contact is weak evidence (whoisctx NeedsReview).
	NeedsReview bool
	// Approved: the operator named this needs-review notice to be sent
	// (--include-review); without it Deliver holds the notice.
	Approved bool
}

// Sendable reports whether Deliver sends the notice: it has a recipient
// (a draft has none unless --to redirected it) and needs no review, or
// the operator approved it. The command counts and confirms by it too.
func (n *Notice) Sendable() bool {
	return len(n.To) > 0 && (!n.NeedsReview || n.Approved)
}

// SingleNotice reports whether a template makes one notice for all
// probers (to a list operator or vendor) rather than one per desk.
func SingleNotice(template string) bool {
	return template == templates.ListingEvidence || template == templates.VendorInquiry
}

// Batches groups the input as the template wants: one batch per desk, or
// a single batch for a single-notice template.
func Batches(in Input, opts Options) ([]Batch, []Skip) {
	opts = opts.withDefaults()
	if !SingleNotice(opts.Template) {
		p := opts.Policy
		return Group(in, p)
	}
	b := Batch{Probers: in.Report.Probers}
	if opts.To != "" {
		b.Contact = &whoisctx.Contact{Address: opts.To, Source: "command line"}
	}
	return []Batch{b}, nil
}

// Render groups and renders every notice of the input; nothing is
// deduplicated (see Plan) or sent.
func Render(in Input, opts Options) ([]Notice, error) {
	batches, _ := Batches(in, opts)
	return RenderBatches(in, batches, opts)
}

// RenderBatches renders one notice per batch.
func RenderBatches(in Input, batches []Batch, opts Options) ([]Notice, error) {
	opts = opts.withDefaults()
	if opts.From == "" {
		return nil, ErrNoFrom
	}
	if opts.XARF {
		return nil, ErrNoXARF
	}
	from, err := ParseAddress(opts.From)
	if err != nil {
		return nil, fmt.Errorf("notify: from: %w", err)
	}
	if opts.MessageID == nil {
		opts.MessageID = RandomMessageID(domainOf(from.Address))
	}
	opts.Operator.Address = from.Address
	out := make([]Notice, 0, len(batches))
	for _, b := range batches {
		n, err := renderOne(in, b, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func (o Options) withDefaults() Options {
	if o.Template == "" {
		o.Template = templates.CallbackNotice
	}
	if o.Templates == nil {
		o.Templates = templates.Default()
	}
	if o.Zone == nil {
		o.Zone = time.UTC
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ReplyTo == "" {
		o.ReplyTo = o.From
	}
	if o.EnvelopeFrom == "" {
		o.EnvelopeFrom = o.From
	}
	return o
}

func renderOne(in Input, b Batch, opts Options) (Notice, error) {
	now := opts.Now()
	n := Notice{
		Template: opts.Template, Desk: b.Desk(), Contact: b.Contact,
		Date: now, Probers: proberIPs(b.Probers), Keys: BatchKeys(b),
	}
	if err := n.address(b, opts); err != nil {
		return n, err
	}
	r, err := opts.Templates.Render(opts.Template, data(in, b, opts, now))
	if err != nil {
		return n, fmt.Errorf("notify: %w", err)
	}
	n.Subject, n.Body = textsafe.ClipRunes(r.Subject, maxSubject), r.Body
	if n.Subject == "" {
		n.Subject = textsafe.ClipRunes("SMTP callbacks from "+strings.Join(n.Probers, ", "), maxSubject)
	}
	n.MessageID = opts.MessageID()
	return n, nil
}

// address fills the sender and recipient fields, validating each.
func (n *Notice) address(b Batch, opts Options) error {
	for _, f := range []struct {
		dst *string
		src string
	}{{&n.From, opts.From}, {&n.ReplyTo, opts.ReplyTo}, {&n.EnvelopeFrom, opts.EnvelopeFrom}} {
		a, err := ParseAddress(f.src)
		if err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		*f.dst = a.String()
	}
	if e, _ := ParseAddress(n.EnvelopeFrom); e != nil {
		n.EnvelopeFrom = e.Address
	}
	switch {
	case opts.To != "" && !SingleNotice(opts.Template):
		// Review copies: drafts too, so the reviewer sees everything.
		a, err := ParseAddress(opts.To)
		if err != nil {
			return fmt.Errorf("notify: --to: %w", err)
		}
		n.To, n.ReviewCopy = []string{a.Address}, true
		if b.Contact == nil {
			n.NeedsRecipient = true
			return nil
		}
		n.OriginalTo = b.Contact.Address
	case b.Contact == nil:
		n.NeedsRecipient = true
		return nil
	default:
		a, err := ParseAddress(b.Contact.Address)
		if err != nil {
			return fmt.Errorf("notify: contact: %w", err)
		}
		n.To = []string{a.Address}
	}
	n.NeedsReview = b.Contact.NeedsReview
	return nil
}

// data is the template data of one batch.
func data(in Input, b Batch, opts Options, now time.Time) templates.Data {
	d := templates.Data{
		Operator: opts.Operator,
		Probers:  b.Probers,
		Campaign: restrictCampaign(in.Report.Campaign, b.Probers),
		Domains:  domains(in.Report, b.Probers),
		Listing:  opts.Listing,
		Vendor:   opts.Vendor,
		InfoURL:  opts.InfoURL,
		Now:      now,
		Zone:     opts.Zone,
		OurIPs:   ourIPs(in.OurIPs, opts.OurIPs),
		LogZone:  opts.LogZone,
		Networks: in.Networks,
		Outbound: in.Outbound,
	}
	if d.Listing == nil {
		d.Listing = in.Listing
	}
	if d.Listing != nil && d.Listing.Checked.IsZero() {
		l := *d.Listing
		l.Checked = now
		d.Listing = &l
	}
	if b.Contact != nil {
		d.Recipients = []whoisctx.Contact{*b.Contact}
	}
	return d
}

// ourIPs is the case's subject (the listed MX) and then the configured
// mail exchangers, each once: a probe may have reached a secondary MX or
// a greylisting gateway in front of it, and a desk looking for our
// connections in its logs needs every destination address, not only the
// listed one.
func ourIPs(subject, configured []string) []string {
	var out []string
	for _, ip := range append(append([]string{}, subject...), configured...) {
		if a, err := netip.ParseAddr(ip); err == nil {
			ip = a.Unmap().String() // 2001:DB8::1 is 2001:db8::1
		}
		if !slices.Contains(out, ip) {
			out = append(out, ip)
		}
	}
	return out
}

// domains are the own domains the probers asked about, or the report's
// own domains when the probers do not say.
func domains(r evidence.Report, ps []evidence.Prober) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		for _, d := range p.ProbedDomains {
			if d = strings.ToLower(d); !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	if len(out) == 0 {
		return r.Domains
	}
	sort.Strings(out)
	return out
}

// RandomMessageID makes Message-IDs of 128 random bits at domain
// (RFC 5322 §3.6.4: unique, right side a domain the sender controls).
func RandomMessageID(domain string) func() string {
	return func() string {
		var b [16]byte
		rand.Read(b[:])
		return hex.EncodeToString(b[:]) + "@" + domain
	}
}

// domainOf is the part of addr after its last '@' (all of addr without one).
func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}

// maxSubject bounds the subject in runes: a HELO name is the prober's to
// choose, and a header line must stay under 998 octets (RFC 5322 §2.1.1)
// even where it cannot be folded.
const maxSubject = 200
