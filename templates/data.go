package templates

import (
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// Data is what every template receives; docs/notify.md documents it.
type Data struct {
	// Template is the name of the template being rendered.
	Template string
	// Operator is who sends the notice.
	Operator Operator
	// Recipients are the contacts the notice is addressed to, best first.
	// Empty means no contact was found: the notice is a draft that needs a
	// recipient before it can be sent.
	Recipients []whoisctx.Contact
	// Probers are the hosts whose callouts the notice is about, most probes
	// first, each with only the probes this notice reports.
	Probers []evidence.Prober
	// Campaign is the forged-sender spam behind the probes, restricted to
	// the addresses and probers of this notice.
	Campaign evidence.Campaign
	// Domains are the operator's own domains that were probed.
	Domains []string
	// Listing is the blocklist entry a listing-evidence notice is about.
	Listing *Listing
	// Vendor is the antispam vendor a vendor-inquiry is addressed to.
	Vendor *Vendor
	// InfoURL points to a longer explanation of why callbacks hurt.
	InfoURL string
	// Now is when the notice is rendered; Zone is the time zone every
	// time stamp is shown in (the tz helper uses it).
	Now  time.Time
	Zone *time.Location
	// OurIPs are the operator's mail exchangers the probes reached (the
	// listed IP of a case, or notify.mx_ips); empty when not known.
	OurIPs []string
	// LogZone names the zone the quoted log lines' stamps were written
	// in, when they carry none (RFC 3164 syslog, Exim's default); ""
	// when not known.
	LogZone string
	// Networks are the registry records of the probers' networks, by IP:
	// the prefix the abuse contact was looked up for.
	Networks map[string]Network
	// Outbound says what our own outbound logs show about mail to the
	// probers; nil when they were not read.
	Outbound *Outbound
}

// Network is the registry's record of the network an IP is in.
type Network struct {
	Prefix   string // as the registry gave it, e.g. 192.0.2.0/24
	Registry string // arin, ripencc, apnic, lacnic, afrinic
	NetName  string
}

// Outbound is what the outbound side of our logs shows.
type Outbound struct {
	// SentTo are the prober IPs our MX delivered (or tried to deliver)
	// anything to in the logs read.
	SentTo []string
	// Since and Until bound the time the MX's delivery lines cover
	// (first and last), inside the case's window.
	Since, Until time.Time
	// What the MX sent to other hosts in that time: deliveries (per
	// recipient), its own callouts, and bounces.
	Deliveries, Callouts, Bounces int
}

// Operator is the person or desk sending the notice.
type Operator struct {
	Name    string // a person's name, or empty
	Address string // role mailbox, e.g. postmaster@example.org
	Org     string // organisation
	Phone   string // optional
}

// Listing is one blocklist entry of the operator's own IP.
type Listing struct {
	List      string   // the list's short name
	Zone      string   // its DNS zone
	IP        string   // the listed address
	Codes     []string // A records returned, e.g. 127.0.0.2
	Reason    string   // the list's TXT reason or documented meaning
	DelistURL string   // where to ask for removal
	// Checked is when the check saw the listing (a case's check time);
	// zero means at rendering, and the notice then says the rendering
	// time. A notice rendered days after the case must not date the
	// check to the day it was written.
	Checked time.Time
}

// Vendor is the antispam vendor a customer asks about callbacks.
type Vendor struct {
	Name    string // company
	Product string // product or service name
	Account string // customer or contract number, if any
}
