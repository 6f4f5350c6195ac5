package bounce

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed patterns.yaml
var patternsYAML []byte

// ErrBadPatterns is wrapped by every error about a pattern file.
var ErrBadPatterns = errors.New("bad rejection pattern")

// Kinds of list a rejection can blame.
const (
	KindDNSBL      = "dnsbl"
	KindProvider   = "provider"
	KindReputation = "reputation"
)

// Pattern is one way receivers word a rejection that blames a list
// (patterns.yaml documents the fields).
type Pattern struct {
	Name     string `yaml:"name"`
	Provider string `yaml:"provider"`
	Kind     string `yaml:"kind"`
	Match    string `yaml:"match"`
	IP       string `yaml:"ip"`
	Domain   string `yaml:"domain"`
	DNSList  string `yaml:"dns_list"`
	Delist   string `yaml:"delist_url"`
	Source   string `yaml:"source"`

	match, ip, domain *regexp.Regexp
	needles           []string // see needles.go
}

// genericZone is the pattern whose list is the zone it captures.
const genericZone = "dnsbl"

type patternFile struct {
	Patterns []Pattern `yaml:"patterns"`
}

// builtinPatterns are parsed on first use (the embedded file is tested).
var builtinPatterns = sync.OnceValue(func() []Pattern {
	ps, err := ParsePatterns("patterns.yaml", patternsYAML)
	if err != nil {
		panic(err)
	}
	return ps
})

// DefaultPatterns returns the built-in rejection patterns.
func DefaultPatterns() []Pattern { return append([]Pattern(nil), builtinPatterns()...) }

// ParsePatterns decodes a pattern file strictly and compiles every
// expression; name is used in errors.
func ParsePatterns(name string, data []byte) ([]Pattern, error) {
	var f patternFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("patterns %s: %w: %w", name, err, ErrBadPatterns)
	}
	seen := map[string]bool{}
	for i := range f.Patterns {
		p := &f.Patterns[i]
		where := fmt.Sprintf("patterns %s: patterns[%d] (%s)", name, i, p.Name)
		if err := p.compile(); err != nil {
			return nil, fmt.Errorf("%s: %w: %w", where, err, ErrBadPatterns)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("%s: duplicate name: %w", where, ErrBadPatterns)
		}
		seen[p.Name] = true
	}
	return f.Patterns, nil
}

func (p *Pattern) compile() error {
	switch {
	case p.Name == "":
		return errors.New("no name")
	case p.Match == "":
		return errors.New("no match")
	case p.Source == "":
		return errors.New("no source: every pattern says where its wording comes from")
	case p.Kind != KindDNSBL && p.Kind != KindProvider && p.Kind != KindReputation:
		return fmt.Errorf("kind %q: want %s, %s or %s", p.Kind, KindDNSBL, KindProvider, KindReputation)
	}
	var err error
	if p.match, err = regexp.Compile("(?i)" + p.Match); err != nil {
		return fmt.Errorf("match: %w", err)
	}
	p.needles = needles(p.Match)
	if p.ip, err = optionalGroup(p.IP); err != nil {
		return fmt.Errorf("ip: %w", err)
	}
	if p.domain, err = optionalGroup(p.Domain); err != nil {
		return fmt.Errorf("domain: %w", err)
	}
	return nil
}

// optionalGroup compiles an expression that must capture one group.
func optionalGroup(expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile("(?i)" + expr)
	if err != nil {
		return nil, err
	}
	if re.NumSubexp() != 1 {
		return nil, fmt.Errorf("%q: want exactly one group, got %d", expr, re.NumSubexp())
	}
	return re, nil
}
