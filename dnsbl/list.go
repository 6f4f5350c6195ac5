package dnsbl

import (
	"fmt"
	"net/netip"
	"os"
	"strings"
)

// KeyPlaceholder in a zone is replaced by the list's key (Spamhaus DQS:
// "{key}.zen.dq.spamhaus.net"). The key is a secret: every zone shown to a
// person or a log has it redacted.
const KeyPlaceholder = "{key}"

// redactedKey replaces the key wherever a zone or message is shown.
const redactedKey = "REDACTED"

// shownZone is zone as it may be shown: the key redacted, whether the
// zone carries KeyPlaceholder or, as Spamhaus's set-up pages write it, the
// key itself (splitDQSKey).
func shownZone(zone string) string {
	zone, _ = splitDQSKey(zone)
	return strings.ReplaceAll(zone, KeyPlaceholder, redactedKey)
}

// Code gives the documented meaning of a return code, an address range or
// a bitmask (see ParseMatch).
type Code struct {
	Code    string `yaml:"code" json:"code"`
	Meaning string `yaml:"meaning" json:"meaning"`
	// Severity overrides the list's severity for this code (PBL's codes
	// in ZEN are policy listings).
	Severity Severity `yaml:"severity" json:"severity,omitempty"`
}

// List is one DNS list as the catalogue and the configuration define it.
// Every field but Name and Zone is optional.
type List struct {
	Name string `yaml:"name" json:"name"`
	// Zone is the DNS zone queried; it may contain KeyPlaceholder.
	Zone string `yaml:"zone" json:"zone"`
	Kind Kind   `yaml:"kind" json:"kind"`
	// Description says what the list lists, in a few words.
	Description string `yaml:"description" json:"description,omitempty"`
	// Allowlist marks a list of good senders (DNSWL): a listing is good news.
	Allowlist bool `yaml:"allowlist" json:"allowlist,omitempty"`
	// Match is an Exim-style rule deciding which answers are listings
	// (ParseRule); empty means any code in 127.0.0.0/8 that is not a refusal.
	Match string `yaml:"match" json:"match,omitempty"`
	// Severity is the weight of a listing on this list (block, policy,
	// informational; default block); a code may override it.
	Severity Severity `yaml:"severity" json:"severity,omitempty"`
	// Codes maps return codes to their documented meanings.
	Codes []Code `yaml:"codes" json:"codes,omitempty"`
	// Refusals are codes by which the operator refuses to answer (quota,
	// public resolver, wrong query); they are never listings.
	Refusals []Code `yaml:"refusals" json:"refusals,omitempty"`
	// NoDefaultRefusals drops the refusal codes every list gets
	// (127.255.255.0/24, reserved by Spamhaus for errors).
	NoDefaultRefusals bool `yaml:"no_default_refusals" json:"-"`
	// NoTXT skips fetching the TXT reason of a listing.
	NoTXT bool `yaml:"no_txt" json:"-"`
	// Delist is the operator's delisting or lookup page.
	Delist string `yaml:"delist_url" json:"delist_url,omitempty"`
	// Policy is the operator's usage policy, in a sentence.
	Policy string `yaml:"policy" json:"policy,omitempty"`
	// RequiresRegistration: the list answers only registered queriers.
	RequiresRegistration bool `yaml:"requires_registration" json:"requires_registration,omitempty"`
	// RefusesPublicResolvers: the list refuses queries from public
	// resolvers (8.8.8.8, 1.1.1.1, ...), so they must not be used.
	RefusesPublicResolvers bool `yaml:"refuses_public_resolvers" json:"refuses_public_resolvers,omitempty"`
	// Key (a secret) or KeyEnv (the environment variable holding it)
	// replace KeyPlaceholder in Zone.
	Key    string `yaml:"key" json:"-"`
	KeyEnv string `yaml:"key_env" json:"key_env,omitempty"`
	// Resolver overrides the resolver for this list ("host:port").
	Resolver string `yaml:"resolver" json:"resolver,omitempty"`
	// Rate limits queries to this list, in queries per second (0: none).
	Rate float64 `yaml:"rate" json:"rate,omitempty"`
	// MaxQueries is the most queries sent to this list in one run,
	// health checks included (0: no limit), to stay within a quota
	// (Spamhaus: 300,000 a day for free use). Lookups beyond it are
	// errors, never guesses.
	MaxQueries int `yaml:"max_queries" json:"max_queries,omitempty"`
	// DailyQueries is the list's free-tier quota of queries per UTC day
	// (0: none), counted across runs (in the state file when there is
	// one), test points included. Lookups beyond it are errors.
	DailyQueries int `yaml:"daily_queries" json:"daily_queries,omitempty"`
	// QuotaSource says where the operator publishes the quota.
	QuotaSource string `yaml:"quota_source" json:"quota_source,omitempty"`
	// TestListed and TestUnlisted override the RFC 5782 §5 test points
	// (127.0.0.2 / 127.0.0.1, ::ffff:7f00:2 / ::ffff:7f00:1, TEST / INVALID).
	TestListed   string `yaml:"test_listed" json:"test_listed,omitempty"`
	TestUnlisted string `yaml:"test_unlisted" json:"test_unlisted,omitempty"`
	// TestListedIPv6 and TestUnlistedIPv6 override the IPv6 test points
	// of a list of kind both (TestListed and TestUnlisted are its IPv4
	// ones); "-" skips one.
	TestListedIPv6   string `yaml:"test_listed_ipv6" json:"test_listed_ipv6,omitempty"`
	TestUnlistedIPv6 string `yaml:"test_unlisted_ipv6" json:"test_unlisted_ipv6,omitempty"`
	// ListsNegativeTestPoint: the list lists its "unlisted" test point on
	// purpose (hostkarma lists 127.0.0.1, rspamd #1662), so that test is
	// skipped rather than failed.
	ListsNegativeTestPoint bool `yaml:"lists_negative_test_point" json:"-"`
	// Disabled lists are not queried unless enabled by name.
	Disabled bool `yaml:"disabled" json:"disabled,omitempty"`
	// Dead is the date the list died (YYYY-MM or YYYY-MM-DD) and DeadReason
	// what happened; a dead list is never queried, and a user who asks for
	// one is told.
	Dead       string `yaml:"dead" json:"dead,omitempty"`
	DeadReason string `yaml:"dead_reason" json:"dead_reason,omitempty"`
}

// list is a List made ready to query: rules parsed, key substituted.
type list struct {
	def      List
	index    int
	zone     string // fully qualified, key substituted: never print it
	shown    string // zone with the key redacted
	key      string
	rule     Rule
	codes    []codeMatch
	refusals []codeMatch
}

type codeMatch struct {
	m        Match
	meaning  string
	severity Severity
}

// defaultRefusals apply to every list: Spamhaus reserves 127.255.255.0/24
// for error codes (Spamhaus news 788, 2019-09-30) and other operators use
// the same codes; none of them is ever a listing.
var defaultRefusals = []Code{
	{Code: "127.255.255.252", Meaning: "typo in the DNSBL zone name"},
	{Code: "127.255.255.254", Meaning: "query via a public or open resolver, refused by the list"},
	{Code: "127.255.255.255", Meaning: "excessive number of queries, refused by the list"},
	{Code: "127.255.255.0/24", Meaning: "error code reserved by the list operator"},
}

// Validate checks a list definition; errors name the field. path is the
// config path shown in messages ("dnsbl.lists[2]").
func (l *List) Validate(path string) error {
	_, err := compileList(*l, path, os.Getenv)
	return err
}

// compileList checks def and prepares it for queries; getenv reads KeyEnv.
func compileList(def List, path string, getenv func(string) string) (*list, error) {
	if def.Name == "" {
		return nil, fmt.Errorf("%s.name: empty: %w", path, ErrBadConfig)
	}
	path = fmt.Sprintf("%s (%s)", path, def.Name)
	if def.Kind == "" {
		def.Kind = KindIPv4
	}
	switch def.Kind {
	case KindIPv4, KindIPv6, KindBoth, KindDomain:
	default:
		return nil, fmt.Errorf("%s.kind %q: want ipv4, ipv6, both or domain: %w", path, def.Kind, ErrBadConfig)
	}
	l := &list{def: def}
	if err := l.setZone(path, getenv); err != nil {
		return nil, err
	}
	var err error
	if l.rule, err = ParseRule(def.Match); err != nil {
		return nil, fmt.Errorf("%s.match: %w", path, err)
	}
	if l.codes, err = compileCodes(def.Codes, path+".codes"); err != nil {
		return nil, err
	}
	refusals := def.Refusals
	if !def.NoDefaultRefusals {
		refusals = append(append([]Code(nil), refusals...), defaultRefusals...)
	}
	if l.refusals, err = compileCodes(refusals, path+".refusals"); err != nil {
		return nil, err
	}
	if err := checkSeverity(def.Severity, path); err != nil {
		return nil, err
	}
	if def.MaxQueries < 0 {
		return nil, fmt.Errorf("%s.max_queries %d: must not be negative: %w", path, def.MaxQueries, ErrBadConfig)
	}
	if def.DailyQueries < 0 {
		return nil, fmt.Errorf("%s.daily_queries %d: must not be negative: %w", path, def.DailyQueries, ErrBadConfig)
	}
	if def.Rate < 0 {
		return nil, fmt.Errorf("%s.rate %v: must not be negative: %w", path, def.Rate, ErrBadConfig)
	}
	if def.Resolver != "" {
		if _, err := normaliseServer(def.Resolver); err != nil {
			return nil, fmt.Errorf("%s.resolver: %w", path, err)
		}
	}
	return l, nil
}

// setZone checks the zone and substitutes the key.
func (l *list) setZone(path string, getenv func(string) string) error {
	z := strings.TrimSuffix(strings.TrimSpace(l.def.Zone), ".")
	if z == "" {
		return fmt.Errorf("%s.zone: empty: %w", path, ErrBadConfig)
	}
	z, literalKey := splitDQSKey(z)
	l.shown = shownZone(z)
	if strings.Contains(z, KeyPlaceholder) {
		l.key = l.def.Key
		if l.key == "" {
			l.key = literalKey
		}
		if l.key == "" && l.def.KeyEnv != "" {
			l.key = getenv(l.def.KeyEnv)
		}
		if l.key == "" {
			return fmt.Errorf("%s.zone %s needs a key: set key_env (or key) and the variable: %w", path, l.shown, ErrMissingKey)
		}
		if strings.ContainsAny(l.key, ". \t\r\n") || len(l.key) > 63 {
			return fmt.Errorf("%s.key: not a single DNS label: %w", path, ErrBadConfig)
		}
		z = strings.ReplaceAll(z, KeyPlaceholder, l.key)
	}
	if _, ok := dnsName(z); !ok {
		return fmt.Errorf("%s.zone %q: not a valid DNS name: %w", path, l.shown, ErrBadConfig)
	}
	l.zone = strings.ToLower(z) + "."
	return nil
}

func compileCodes(codes []Code, path string) ([]codeMatch, error) {
	out := make([]codeMatch, 0, len(codes))
	for i, c := range codes {
		m, err := ParseMatch(c.Code)
		if err != nil {
			return nil, fmt.Errorf("%s[%d].code: %w: %w", path, i, err, ErrBadConfig)
		}
		if err := checkSeverity(c.Severity, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return nil, err
		}
		out = append(out, codeMatch{m: m, meaning: c.Meaning, severity: c.Severity})
	}
	return out, nil
}

// redact removes the list's key from any text about it (error messages
// may echo the query name). DNS names compare case-insensitively (RFC 4343),
// and the zone is queried in lower case, so the key is matched in any case.
func (l *list) redact(s string) string {
	if l.key == "" {
		return s
	}
	return replaceFold(s, l.key, redactedKey)
}

// replaceFold replaces every ASCII-case-insensitive occurrence of old in s.
// Only ASCII is folded, so byte offsets in the folded copy match s.
func replaceFold(s, old, repl string) string {
	lower, low := asciiLower(s), asciiLower(old)
	var b strings.Builder
	for {
		i := strings.Index(lower, low)
		if i < 0 {
			if b.Len() == 0 {
				return s
			}
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(low):]
	}
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// meaning returns the documented meaning of code, or "".
func (l *list) meaning(code netip.Addr) string {
	m, _ := lookupCode(l.codes, code)
	return m
}

// refusal reports whether code is a refusal, and why.
func (l *list) refusal(code netip.Addr) (string, bool) {
	why, ok := lookupCode(l.refusals, code)
	if ok && why == "" {
		why = "refusal code"
	}
	return why, ok
}

// lookupCode returns the meaning of the first exact or range entry that
// matches, or, for bitmask entries, the meanings of every bit set.
func lookupCode(codes []codeMatch, code netip.Addr) (string, bool) {
	var parts []string
	found := false
	for _, c := range codes {
		if !c.m.MatchAddr(code) {
			continue
		}
		if !c.m.isMask {
			return c.meaning, true
		}
		found = true
		parts = append(parts, c.meaning) // bitmask lists: one meaning per bit
	}
	return strings.Join(parts, ", "), found
}

// covers reports whether the list answers queries for addr's family.
func (l *list) covers(addr netip.Addr) bool {
	if l.def.Kind == KindDomain {
		return false
	}
	_, ok := ReverseName(addr, l.def.Kind)
	return ok
}

// isDead reports whether the catalogue knows the list as dead.
func (l *List) isDead() bool { return l.Dead != "" }

// deadMessage tells the user why a dead list is not queried.
func (l *List) deadMessage() string {
	msg := fmt.Sprintf("list %s (%s) is dead since %s", l.Name, shownZone(l.Zone), l.Dead)
	if l.DeadReason != "" {
		msg += ": " + l.DeadReason
	}
	return msg + "; not queried (remove it from the configuration)"
}
