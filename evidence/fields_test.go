package evidence

import (
	"strings"
	"testing"
)

func TestLastIndexFrom(t *testing.T) {
	for _, s := range []string{"", ";", "; from=<", "a; from=<b>; c", "x; from=<a>; from=<b> to=<c>", "blocked; Client host; from=<> to=<x>", "; from=", ";; from=<;"} {
		if got, want := lastIndexFrom(s), strings.LastIndex(s, "; from=<"); got != want {
			t.Errorf("lastIndexFrom(%q) = %d, want %d", s, got, want)
		}
	}
}
