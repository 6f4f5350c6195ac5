package dnsbl

import (
	"fmt"
	"strings"
)

// selection is the outcome of combining the catalogue with the
// configuration: the lists to query, the dead ones the user asked for, and
// warnings.
type selection struct {
	lists    []*list
	dead     []List
	warnings []string
}

// selectLists merges cfg.Lists over the catalogue and picks the lists to
// query: Only if set, else every list not disabled, plus Enable, minus
// Disable. Dead lists are never queried; asking for one yields a warning.
func selectLists(cfg Config, cat *Catalogue, getenv func(string) string) (*selection, error) {
	all, err := mergeLists(cfg, cat)
	if err != nil {
		return nil, err
	}
	chosen, err := chooseLists(cfg, all)
	if err != nil {
		return nil, err
	}
	sel := &selection{}
	for _, i := range chosen {
		def := all[i]
		if def.isDead() {
			sel.dead = append(sel.dead, def)
			sel.warnings = append(sel.warnings, def.deadMessage())
			continue
		}
		l, err := compileList(def, "dnsbl list", getenv)
		if err != nil {
			return nil, err
		}
		l.index = len(sel.lists)
		sel.lists = append(sel.lists, l)
	}
	if len(sel.lists) == 0 && len(sel.dead) == 0 {
		return nil, fmt.Errorf("no list selected: %w", ErrBadConfig)
	}
	return sel, nil
}

// mergeLists returns the catalogue with the user's lists applied: same
// name overrides field by field, a new name is added. A user list whose
// zone lies under a dead list's zone inherits the death notice.
func mergeLists(cfg Config, cat *Catalogue) ([]List, error) {
	var all []List
	if !cfg.NoCatalogue && cat != nil {
		all = cat.Lists()
	}
	byName := map[string]int{}
	for i, l := range all {
		byName[strings.ToLower(l.Name)] = i
	}
	for i, u := range cfg.Lists {
		path := fmt.Sprintf("dnsbl.lists[%d]", i)
		if u.Name == "" {
			return nil, fmt.Errorf("%s.name: empty: %w", path, ErrBadConfig)
		}
		if j, ok := byName[strings.ToLower(u.Name)]; ok {
			all[j] = overlay(all[j], u)
			continue
		}
		if u.Zone == "" {
			return nil, fmt.Errorf("%s.zone: empty, and %q is not a catalogue list: %w", path, u.Name, ErrBadConfig)
		}
		if cat != nil && !u.isDead() {
			if d, ok := cat.Dead(u.Zone); ok {
				u.Dead, u.DeadReason = d.Dead, d.DeadReason
			}
		}
		if _, err := compileList(withCheckKey(u), path, func(string) string { return "" }); err != nil {
			return nil, err
		}
		byName[strings.ToLower(u.Name)] = len(all)
		all = append(all, u)
	}
	return all, nil
}

// withCheckKey fills a dummy key so that the shape of a keyed zone can be
// validated before the real key is looked up.
func withCheckKey(l List) List {
	if strings.Contains(l.Zone, KeyPlaceholder) {
		l.Key = "checkonly"
	}
	return l
}

// chooseLists returns the indexes of the lists to use, in catalogue order
// (Only: in the order given).
func chooseLists(cfg Config, all []List) ([]int, error) {
	find := func(field string, i int, name string) (int, error) {
		key := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(name), "."))
		for j, l := range all {
			if strings.ToLower(l.Name) == key || strings.ToLower(strings.TrimSuffix(l.Zone, ".")) == key {
				return j, nil
			}
		}
		return 0, fmt.Errorf("list %q (dnsbl.%s[%d]): %w: not in the catalogue (dnsblaudit check --show-lists) nor in dnsbl.lists", name, field, i, ErrUnknownList)
	}
	if len(cfg.Only) > 0 {
		var out []int
		seen := map[int]bool{}
		for i, n := range cfg.Only {
			j, err := find("only", i, n)
			if err != nil {
				return nil, err
			}
			if !seen[j] {
				seen[j] = true
				out = append(out, j)
			}
		}
		return out, nil
	}
	on := make([]bool, len(all))
	for j, l := range all {
		on[j] = !l.Disabled && !l.isDead()
	}
	for i, n := range cfg.Enable {
		j, err := find("enable", i, n)
		if err != nil {
			return nil, err
		}
		on[j] = true
	}
	for i, n := range cfg.Disable {
		j, err := find("disable", i, n)
		if err != nil {
			return nil, err
		}
		on[j] = false
	}
	// A dead list the user defined in the configuration counts as asked
	// for, so that they are told.
	for _, u := range cfg.Lists {
		for j, l := range all {
			if strings.EqualFold(l.Name, u.Name) && l.isDead() && !contains(cfg.Disable, u.Name) {
				on[j] = true
			}
		}
	}
	var out []int
	for j := range all {
		if on[j] {
			out = append(out, j)
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// overlay applies the non-zero fields of u over base.
func overlay(base, u List) List {
	setS := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	setS(&base.Zone, u.Zone)
	setS((*string)(&base.Kind), string(u.Kind))
	setS(&base.Description, u.Description)
	setS(&base.Match, u.Match)
	setS(&base.Delist, u.Delist)
	setS(&base.Policy, u.Policy)
	setS(&base.Key, u.Key)
	setS(&base.KeyEnv, u.KeyEnv)
	setS(&base.Resolver, u.Resolver)
	setS((*string)(&base.Severity), string(u.Severity))
	setS(&base.TestListed, u.TestListed)
	setS(&base.TestUnlisted, u.TestUnlisted)
	setS(&base.TestListedIPv6, u.TestListedIPv6)
	setS(&base.TestUnlistedIPv6, u.TestUnlistedIPv6)
	if u.Codes != nil {
		base.Codes = u.Codes
	}
	if u.Refusals != nil {
		base.Refusals = u.Refusals
	}
	if u.Rate != 0 {
		base.Rate = u.Rate
	}
	if u.MaxQueries != 0 {
		base.MaxQueries = u.MaxQueries
	}
	if u.DailyQueries != 0 {
		base.DailyQueries = u.DailyQueries
	}
	setS(&base.QuotaSource, u.QuotaSource)
	base.Allowlist = base.Allowlist || u.Allowlist
	base.NoDefaultRefusals = base.NoDefaultRefusals || u.NoDefaultRefusals
	base.NoTXT = base.NoTXT || u.NoTXT
	base.RequiresRegistration = base.RequiresRegistration || u.RequiresRegistration
	base.RefusesPublicResolvers = base.RefusesPublicResolvers || u.RefusesPublicResolvers
	base.ListsNegativeTestPoint = base.ListsNegativeTestPoint || u.ListsNegativeTestPoint
	if u.Disabled {
		base.Disabled = true
	}
	return base
}
