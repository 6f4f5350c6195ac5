package dnsbl

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed catalogue.yaml
var catalogueYAML []byte

// Catalogue is a set of known lists, looked up by name or zone.
type Catalogue struct {
	lists []List
}

type catalogueFile struct {
	Lists []List `yaml:"lists"`
}

// builtin is parsed on first use, not at start-up: most commands (an
// evidence scan, a whois) never look at the catalogue.
var builtin = sync.OnceValue(func() *Catalogue { return mustParseCatalogue(catalogueYAML) })

// DefaultCatalogue returns the built-in catalogue (a copy: callers may
// modify it).
func DefaultCatalogue() *Catalogue {
	return &Catalogue{lists: append([]List(nil), builtin().lists...)}
}

func mustParseCatalogue(data []byte) *Catalogue {
	c, err := ParseCatalogue("catalogue.yaml", data)
	if err != nil {
		panic(err) // the embedded file is tested; this cannot happen
	}
	return c
}

// ParseCatalogue decodes a catalogue file strictly; name is used in errors.
func ParseCatalogue(name string, data []byte) (*Catalogue, error) {
	var f catalogueFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("catalogue %s: %w: %w", name, err, ErrBadConfig)
	}
	seen := map[string]bool{}
	for i, l := range f.Lists {
		path := fmt.Sprintf("catalogue %s: lists[%d]", name, i)
		if seen[l.Name] {
			return nil, fmt.Errorf("%s: duplicate name %q: %w", path, l.Name, ErrBadConfig)
		}
		seen[l.Name] = true
		if _, err := compileList(withCheckKey(l), path, func(string) string { return "" }); err != nil {
			return nil, err
		}
	}
	return &Catalogue{lists: f.Lists}, nil
}

// Lists returns the catalogue's lists in order.
func (c *Catalogue) Lists() []List { return append([]List(nil), c.lists...) }

// Lookup finds a list by name or by zone (case-insensitive).
func (c *Catalogue) Lookup(nameOrZone string) (List, bool) {
	i := c.index(nameOrZone)
	if i < 0 {
		return List{}, false
	}
	return c.lists[i], true
}

func (c *Catalogue) index(nameOrZone string) int {
	key := strings.ToLower(strings.TrimSuffix(nameOrZone, "."))
	for i, l := range c.lists {
		if strings.ToLower(l.Name) == key || strings.ToLower(l.Zone) == key {
			return i
		}
	}
	return -1
}

// Dead returns the dead list whose zone is zone or a parent of it: a list
// under a dead operator's domain is dead too (dnsbl.sorbs.net, sorbs.net).
func (c *Catalogue) Dead(zone string) (List, bool) {
	z := strings.ToLower(strings.TrimSuffix(zone, "."))
	for _, l := range c.lists {
		if !l.isDead() {
			continue
		}
		dz := strings.ToLower(l.Zone)
		if z == dz || strings.HasSuffix(z, "."+dz) {
			return l, true
		}
	}
	return List{}, false
}
