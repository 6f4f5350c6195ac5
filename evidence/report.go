package evidence

import "time"

// Report is what a scan finds; its JSON form is the documented output of
// `dnsblaudit evidence scan --format json` (docs/evidence-json.md) and the
// input of notify and investigate.
type Report struct {
	Domains  []string   `json:"domains"`         // own domains the scan looked for
	Since    *time.Time `json:"since,omitempty"` // window asked for
	Until    *time.Time `json:"until,omitempty"`
	Span     Span       `json:"span"`     // first and last event seen
	Probers  []Prober   `json:"probers"`  // convicted, ranked: most probes first
	Suspects []Suspect  `json:"suspects"` // fit a callout but not accused; most sessions first, at most MaxSuspects
	Campaign Campaign   `json:"campaign"`
	Stats    Stats      `json:"stats"`
}

// Span is a time interval; zero times mean "no events".
type Span struct {
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
}

// Prober is one host whose sessions the rules (rules.go) convict of SMTP
// callouts against the operator's MX. Notices go to these only.
type Prober struct {
	IP string `json:"ip"`
	// Rule is the convicting rule of its strongest probe (rules.go).
	Rule         string   `json:"rule"`
	HeloNames    []string `json:"helo_names"`    // at most maxNames
	ReverseNames []string `json:"reverse_names"` // at most maxNames
	// Probes counts every probe session, exactly; Events is a sample.
	Probes     int      `json:"probe_count"`
	Kinds      []string `json:"kinds"`      // the rules that matched its probes
	Confidence float64  `json:"confidence"` // highest among its probes, 0..1
	// ProbedAddresses are the first maxAddresses distinct addresses asked,
	// sorted; AddressesTruncated says more were asked.
	ProbedAddresses    []string  `json:"probed_addresses"`
	ProbedDomains      []string  `json:"probed_domains"`
	AddressesTruncated bool      `json:"probed_addresses_truncated,omitempty"`
	FirstSeen          time.Time `json:"first_seen"`
	LastSeen           time.Time `json:"last_seen"`
	// LinkedProbes counts its probes, sampled or not, that link to a
	// forged use (as Campaign.Links would list them), exactly.
	LinkedProbes int `json:"linked_probe_count"`
	// Events is a bounded sample of the probes: the first and the last
	// SampleSize, in time order; Omitted says how many lie between.
	Events  []Probe `json:"probes"`
	Omitted int     `json:"probes_omitted"`
}

// Suspect is a host whose sessions fit a callout but also another
// explanation, so it is not accused. Notify never writes to it.
type Suspect struct {
	Prober
	// NotAccused counts its sessions by the reason they were not accused
	// (rules.go Why*); Explanation is the sentence of the commonest.
	NotAccused  map[string]int `json:"not_accused"`
	Explanation string         `json:"explanation"`
}

// Probe is one callout session and the evidence for it.
type Probe struct {
	Time       time.Time  `json:"time"`
	IP         string     `json:"ip"`
	Name       string     `json:"reverse_name,omitempty"` // client's reverse DNS name as logged
	Helo       string     `json:"helo,omitempty"`
	Format     string     `json:"format"`                // log format the probe was read from
	Sender     string     `json:"sender"`                // envelope sender ("" = null sender)
	Recipients []string   `json:"recipients"`            // addresses asked about
	Kind       string     `json:"kind"`                  // the convicting rule ("" for a suspect's session)
	Reason     string     `json:"reason"`                // why the rule convicts, or why it does not
	NotAccused string     `json:"not_accused,omitempty"` // a suspect's session: the reason key
	Confidence float64    `json:"confidence"`
	Epoch      *time.Time `json:"epoch,omitempty"`        // decoded from an Exim random local part
	SkewSec    *float64   `json:"skew_seconds,omitempty"` // log time minus prober clock
	Lines      []Line     `json:"lines"`                  // raw evidence

	asked []time.Time // when each recipient was asked (same order), for links
	seq   int         // its number among its host's probes (aggregate.go)
	// because builds Reason when the probe is kept (own, verdict.because).
	because func() string
	owned   bool // own has copied its lines
}

// Line is one raw log line with where it came from.
type Line struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Raw  string `json:"raw"`
	// Reason says why a line was counted as malformed or unknown (first_bad only).
	Reason string `json:"reason,omitempty"`
}

// Campaign is the forged-sender spam that caused the probes.
type Campaign struct {
	ForgedSenders []ForgedSender `json:"forged_senders"`
	Backscatter   []ForgedSender `json:"backscatter"` // bounces to never-used own addresses
	Links         []Link         `json:"links"`       // probe of an address forged shortly before
	// LinkedProbes counts every convicted probe with a link, sampled or
	// not; OmittedLinks are those outside the probers' samples, whose
	// links Links does not list.
	LinkedProbes int          `json:"linked_probe_count"`
	OmittedLinks OmittedLinks `json:"omitted_links"`
}

// ForgedSender is an own-domain address used as a sender from outside the
// own networks.
type ForgedSender struct {
	Address   string    `json:"address"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Count     int       `json:"count"`
	Clients   []string  `json:"clients"` // client IPs that used it
	Lines     []Line    `json:"lines,omitempty"`
	// LinkedProbes counts the convicted probes that asked for this very
	// address within the link window after a forged use of it (a forged
	// sender only; Exim random probes linked by domain are not counted).
	LinkedProbes int `json:"linked_probe_count,omitempty"`
}

// Link ties a probe to the forged use of the address it asked about.
// ForgedAt is when the use was logged, or, for a use that the verifying
// receiver logged only after its probe came back, when that spam's SMTP
// session was last seen before the probe (its connect). DelaySec is
// ProbedAt minus ForgedAt: negative only when the log does not say when
// such a session began, and then by at most 10 s (verifyLag).
type Link struct {
	ProberIP string    `json:"prober_ip"`
	Address  string    `json:"address"`
	ForgedAt time.Time `json:"forged_at"`
	ProbedAt time.Time `json:"probed_at"`
	DelaySec float64   `json:"delay_seconds"`
	// Match is "address" when the probe asked for the forged address itself,
	// "domain" when an Exim random probe (which carries no real address)
	// followed forged use of another address in the same domain.
	Match     string `json:"match"`
	ProbeKind string `json:"probe_kind"`
}

// Stats counts what was read, so nothing is silently lost.
type Stats struct {
	Files     []FileStats `json:"files"`
	Lines     int         `json:"lines"`
	Events    int         `json:"events"`
	Malformed int         `json:"malformed"`
	Unknown   int         `json:"unknown"`
	Ignored   int         `json:"ignored"` // well-formed lines that carry nothing needed
	Sessions  int         `json:"sessions"`
	Skipped   int         `json:"skipped"` // events outside --since/--until
	// Unused counts recognised lines that no rule reads, by kind
	// (postscreen PASS, milter-reject of DATA…): read, not lost.
	Unused map[string]int `json:"unused,omitempty"`
	// NotAccused counts sessions that fit a callout but were not accused,
	// by reason (rules.go Why*), suspects omitted from the list included.
	NotAccused map[string]int `json:"not_accused"`
	// SuspectsOmitted is how many suspect hosts beyond MaxSuspects the
	// list leaves out (the fewest sessions).
	SuspectsOmitted int `json:"suspects_omitted"`
	// Warnings say where the scan was unsure (a year guessed across a long
	// gap, a file older than its neighbours).
	Warnings []string `json:"warnings,omitempty"`
}

// FileStats is per input: detected format, counts, the first bad lines.
type FileStats struct {
	File      string `json:"file"`
	Format    string `json:"format"`
	Lines     int    `json:"lines"`
	Malformed int    `json:"malformed"`
	Unknown   int    `json:"unknown"`
	FirstBad  []Line `json:"first_bad,omitempty"`
	// Compression is "gzip" or "bzip2" when the input was compressed.
	Compression string `json:"compression,omitempty"`
	// Error says why the input could not be read ("" when it was).
	Error string `json:"error,omitempty"`
}
