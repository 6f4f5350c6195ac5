package bounce

import (
	"regexp/syntax"
	"strings"
)

// minNeedle is the shortest literal worth a substring search.
const minNeedle = 3

// needles returns lower-case literals of which every match of expr must
// contain at least one, or nil when no such set can be read from the
// expression. Classify runs a pattern only on text that holds one of its
// needles: a substring search is far cheaper than a case-insensitive
// match, and most diagnostics blame no list at all. (The rare runes that
// (?i) folds but strings.ToLower does not, like U+017F for 's', can only
// make a pattern miss, never match where it would not.)
func needles(expr string) []string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	return required(re.Simplify())
}

func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) < minNeedle {
			return nil
		}
		return []string{strings.ToLower(string(re.Rune))}
	case syntax.OpCapture:
		return required(re.Sub[0])
	case syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		// Any one part's needles are required: keep the set whose
		// shortest needle is longest (the most selective).
		var best []string
		for _, sub := range re.Sub {
			if n := required(sub); n != nil && shortest(n) > shortest(best) {
				best = n
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			n := required(sub)
			if n == nil {
				return nil // one branch may match without any literal
			}
			all = append(all, n...)
		}
		return all
	}
	return nil
}

func shortest(ns []string) int {
	if len(ns) == 0 {
		return 0
	}
	m := len(ns[0])
	for _, n := range ns[1:] {
		m = min(m, len(n))
	}
	return m
}

// mayMatch: lower holds one of the needles (or there are none to test).
func mayMatch(lower string, ns []string) bool {
	if ns == nil {
		return true
	}
	for _, n := range ns {
		if strings.Contains(lower, n) {
			return true
		}
	}
	return false
}
