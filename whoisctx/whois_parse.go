package whoisctx

import (
	"net/netip"
	"regexp"
	"strings"
)

// WhoisFound is one address found in a WHOIS answer.
type WhoisFound struct {
	Address     string
	Field       string // where it was found: "abuse-mailbox", "OrgAbuseEmail"…
	Role        Role
	Confidence  float64
	NeedsReview bool
	// Fallback: the answer names no abuse contact; this is the irt's or a
	// technical contact's address, which an abuse desk would try next.
	Fallback bool
}

// WhoisFindings is what ParseWhois learned from one answer.
type WhoisFindings struct {
	Found       []WhoisFound
	First, Last netip.Addr // the most specific network range, if any
	NetName     string
	Stub        bool // APNIC transferred-range stub (netname STUB-…)
	// TransferredTo is the registry a stub says now holds the range
	// ("Transferred to the ARIN region"), in Team Cymru's naming.
	TransferredTo string
	NoAbuse       bool     // "% No abuse contact registered" (AFRINIC)
	RateLimited   bool     // RIPE "temporarily denied", ARIN header-only…
	Referral      string   // a referral the text names; never followed
	Placeholders  []string // registry placeholders dropped
}

var (
	abuseContactFor = regexp.MustCompile(`(?i)^%\s*abuse contact for '([^']*)' is '([^']*)'`)
	noAbuseContact  = regexp.MustCompile(`(?i)^%\s*no abuse contact registered`)
	keyValue        = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9 _-]{0,40}):\s*(.*)$`)
)

// rateLimitPhrases are the registries' refusals ("%ERROR:201: access
// denied", RIPE's daily limit, LACNIC's and APNIC's query-rate notices).
var rateLimitPhrases = []string{
	"temporarily denied", "access denied", "query rate limit", "rate limit exceeded",
	"too many queries", "query limit exceeded", "exceeded the query limit",
	"limit exceeded", "excessive querying", "too many requests",
}

// ParseWhois reads an IP or domain WHOIS answer in any registry style:
// RIPE/APNIC/AFRINIC objects, ARIN's key: value sections, LACNIC and
// registro.br handles. It never fails: unknown text yields no findings.
func ParseWhois(text string) WhoisFindings {
	var p whoisParser
	p.run(text)
	return p.findings()
}

type whoisObject []whoisKV

type whoisKV struct{ key, value string }

type arinNet struct {
	first, last netip.Addr
	name        string
	rAbuse      []string
	orgAbuse    []string
	tech        []whoisKV // RTechEmail, OrgTechEmail: a fallback only
}

type whoisParser struct {
	out        WhoisFindings
	objects    []whoisObject
	comments   []string
	data       int // key: value lines seen
	arin       []arinNet
	abuseFor   []string
	abuseMail  []string
	abuseC     []string
	handleMail map[string][]string
	remarks    []string
	registrar  []string
	irtMail    []string // e-mail: of an irt object: a fallback only
	techC      []string // tech-c handles: a fallback only
}

// splitObjects cuts text into comment lines and blank-line separated
// objects of key: value lines; continuation lines (leading space or '+')
// extend the previous value.
func (p *whoisParser) splitObjects(text string) {
	var cur whoisObject
	flush := func() {
		if len(cur) > 0 {
			p.objects = append(p.objects, cur)
			cur = nil
		}
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "%") || strings.HasPrefix(trimmed, "#"):
			p.comments = append(p.comments, trimmed)
		case (line[0] == ' ' || line[0] == '\t' || line[0] == '+') && len(cur) > 0 && !keyValue.MatchString(trimmed):
			// RPSL continuation line (RFC 2622 §2); indented "Key: value"
			// lines (Verisign, registrars) are keys of their own.
			cur[len(cur)-1].value += " " + strings.TrimLeft(trimmed, "+ ")
		default:
			if m := keyValue.FindStringSubmatch(trimmed); m != nil {
				cur = append(cur, whoisKV{strings.TrimSpace(m[1]), strings.TrimSpace(m[2])})
				p.data++
			} else {
				p.comments = append(p.comments, trimmed)
			}
		}
	}
	flush()
}

func (p *whoisParser) run(text string) {
	p.handleMail = map[string][]string{}
	p.splitObjects(text)
	p.readComments()
	for _, o := range p.objects {
		p.readObject(o)
	}
	if p.data == 0 && len(p.comments) > 0 && allHashComments(p.comments) {
		// ARIN answers a rate-limited client with its header and nothing else.
		p.out.RateLimited = true
	}
}

func allHashComments(lines []string) bool {
	for _, l := range lines {
		if !strings.HasPrefix(l, "#") {
			return false
		}
		if strings.Contains(strings.ToLower(l), "no match found") {
			return false
		}
	}
	return true
}

func (p *whoisParser) readComments() {
	for _, c := range p.comments {
		if m := abuseContactFor.FindStringSubmatch(c); m != nil {
			p.abuseFor = append(p.abuseFor, m[2])
		}
		if noAbuseContact.MatchString(c) {
			p.out.NoAbuse = true
		}
		lc := strings.ToLower(c)
		for _, phrase := range rateLimitPhrases {
			if strings.Contains(lc, phrase) {
				p.out.RateLimited = true
			}
		}
	}
}
