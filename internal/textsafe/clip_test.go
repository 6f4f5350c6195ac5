package textsafe

import "testing"

func TestClip(t *testing.T) {
	cases := []struct {
		s         string
		n         int
		cut, clip string
		runes     int
		clipRunes string
	}{
		{"short", 10, "short", "short", 10, "short"},
		{"ééé", 3, "é", "é…", 2, "é…"},
		{"abcdef", 3, "abc", "abc…", 3, "ab…"},
		{"", 0, "", "", 1, ""},
	}
	for _, c := range cases {
		if got := Cut(c.s, c.n); got != c.cut {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.s, c.n, got, c.cut)
		}
		if got := Clip(c.s, c.n); got != c.clip {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.s, c.n, got, c.clip)
		}
		if got := ClipRunes(c.s, c.runes); got != c.clipRunes {
			t.Errorf("ClipRunes(%q, %d) = %q, want %q", c.s, c.runes, got, c.clipRunes)
		}
	}
}
