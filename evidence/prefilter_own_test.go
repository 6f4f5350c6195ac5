package evidence

import (
	"strings"
	"testing"
)

var ownMatcherDomains = [][]string{
	{"victim.example"},
	{"Victim.Example.", "b.test", "x"},
	{"ümlaut.example", "victim.example"},
	{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"},
	{},
}

var ownMatcherAddrs = []string{
	"user@victim.example", "user@VICTIM.example", "u@mx.victim.example", "u@x.Victim.Example",
	"u@notvictim.example", "u@victim.example.org", "u@victim", "victim.example", "",
	"u@", "@victim.example", "a@b@victim.example", "u@a..victim.example", "u@.victim.example",
	"u@b.test", "u@c.b.test", "u@x", "u@y.x", "u@xx", "u@ümlaut.example", "u@ÜMLAUT.example",
	"u@a9", "u@z.a5", "u@victim.exampl", "u@ictim.example",
}

func TestOwnMatcherAgrees(t *testing.T) {
	for _, ds := range ownMatcherDomains {
		set := newDomainSet(ds)
		m := newOwnMatcher(set)
		for _, a := range ownMatcherAddrs {
			if got, want := m.hasAddr(a), set.hasAddr(a); got != want {
				t.Errorf("domains %q, %q: ownMatcher %v, domainSet %v", ds, a, got, want)
			}
		}
	}
}

func FuzzOwnMatcher(f *testing.F) {
	for _, a := range ownMatcherAddrs {
		f.Add("victim.example", a)
	}
	f.Add("\u212aa.example", "u@ka.example")
	f.Fuzz(func(t *testing.T, own, addr string) {
		set := newDomainSet([]string{own, "victim.example"})
		if got, want := newOwnMatcher(set).hasAddr(addr), set.hasAddr(addr); got != want {
			t.Errorf("own %q, %q: ownMatcher %v, domainSet %v", own, addr, got, want)
		}
	})
}

// TestLowerASCII checks the word-wise lower-casing against the byte-wise
// one for every ASCII byte in every position of a word.
func TestLowerASCII(t *testing.T) {
	for pos := range 8 {
		for c := range 0x80 {
			var w [8]byte
			for i := range w {
				w[i] = "Ab-9.zQ@"[i]
			}
			w[pos] = byte(c)
			want := strings.ToLower(string(w[:]))
			if got := lowerASCII(load64(string(w[:]), 0)); got != load64(want, 0) {
				t.Fatalf("byte %#x at %d: %#x, want %q", c, pos, got, want)
			}
		}
	}
}
