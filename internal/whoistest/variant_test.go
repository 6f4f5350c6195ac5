package whoistest

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The documentation ranges are the demo's and many tests' callout probers:
// their answers must name no real holder, person, address or number.
func TestVariantsNameNoRealHolder(t *testing.T) {
	real := RealIdentities()
	for _, want := range []string{"BT Corporate Registry", "81 Newgate Street", "+44 1908 609 271", "Zhu, Jing",
		"Calgary", "19 Tai Seng Drive", "BTENT-MNT", "ZHUJI1-ARIN", "Graham Popple"} {
		if !slices.Contains(real, want) {
			t.Fatalf("RealIdentities lacks %q: the derivation misses a key (got %q)", want, real)
		}
	}
	for _, v := range DocNetworks {
		whois, rdap, err := v.Answers()
		if err != nil {
			t.Fatal(err)
		}
		if leak := LeakedIdentities(whois + rdap); len(leak) > 0 {
			t.Errorf("%s (from %s) names %q", v.Prefix, v.Base, leak)
		}
		if !strings.Contains(whois, v.Holder.Name) {
			t.Errorf("%s: WHOIS never names its holder %q", v.Prefix, v.Holder.Name)
		}
	}
}

// A variant keeps its base's shape: the same attributes in the same
// order, the same JSON members and nesting, only other text in them.
func TestVariantsKeepShape(t *testing.T) {
	for _, v := range DocNetworks {
		base := NetworkByName(v.Base)
		whois, rdap, err := v.Answers()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := whoisKeys(whois), whoisKeys(File(base.WHOIS)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: WHOIS keys %q, base %q", v.Prefix, got, want)
		}
		if base.RDAP == "" {
			continue
		}
		if got, want := jsonSkeleton(t, rdap), jsonSkeleton(t, File(base.RDAP)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: RDAP structure differs from the base:\n%v\n%v", v.Prefix, got, want)
		}
	}
}

// whoisKeys is the sequence of attribute names, "" for a blank or comment
// line, " " for a continuation line.
func whoisKeys(text string) []string {
	var keys []string
	for line := range strings.Lines(text) {
		switch key, _, ok := strings.Cut(line, ":"); {
		case strings.HasPrefix(line, " "):
			keys = append(keys, " ")
		case ok && !strings.HasPrefix(line, "%") && !strings.HasPrefix(line, "#"):
			keys = append(keys, key)
		default:
			keys = append(keys, "")
		}
	}
	return keys
}

// jsonSkeleton is the document with every string emptied.
func jsonSkeleton(t *testing.T, body string) any {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	var strip func(v any) any
	strip = func(v any) any {
		switch v := v.(type) {
		case string:
			return ""
		case map[string]any:
			for k, e := range v {
				v[k] = strip(e)
			}
		case []any:
			for i, e := range v {
				v[i] = strip(e)
			}
		}
		return v
	}
	return strip(doc)
}
