package dnsbl

import (
	"errors"
	"net/netip"
	"testing"
)

func addrs(s ...string) []netip.Addr {
	out := make([]netip.Addr, len(s))
	for i, a := range s {
		out[i] = netip.MustParseAddr(a)
	}
	return out
}

func TestRule(t *testing.T) {
	tests := []struct {
		rule  string
		codes []string
		want  bool
	}{
		{"", []string{"127.0.0.2"}, true},
		{"", nil, false},
		{"=127.0.0.2", []string{"127.0.0.2"}, true},
		{"=127.0.0.2,127.0.0.3", []string{"127.0.0.3"}, true},
		{"=127.0.0.2,127.0.0.3", []string{"127.0.0.10"}, false},
		{"=127.0.0.2", []string{"127.0.0.10", "127.0.0.2"}, true},
		{"==127.0.0.2", []string{"127.0.0.10", "127.0.0.2"}, false},
		{"==127.0.0.2,127.0.0.10", []string{"127.0.0.10", "127.0.0.2"}, true},
		{"!=127.0.0.10,127.0.0.11", []string{"127.0.0.10"}, false},
		{"!=127.0.0.10,127.0.0.11", []string{"127.0.0.2"}, true},
		{"!=127.0.0.10", []string{"127.0.0.2", "127.0.0.10"}, false},
		{"!==127.0.0.10", []string{"127.0.0.2", "127.0.0.10"}, true},
		{"=127.0.0.2-127.0.0.11", []string{"127.0.0.9"}, true},
		{"=127.0.0.2-127.0.0.11", []string{"127.0.0.12"}, false},
		{"=127.0.2.0/24", []string{"127.0.2.7"}, true},
		{"&0.0.0.8", []string{"127.0.0.10"}, true},
		{"&8", []string{"127.0.0.4"}, false},
		{"&0.0.0.6", []string{"127.0.0.2"}, false}, // every bit of the mask
		{"&0.0.0.6", []string{"127.0.0.14"}, true},
		{"!&0.0.0.8", []string{"127.0.0.2"}, true},
	}
	for _, tt := range tests {
		r, err := ParseRule(tt.rule)
		if err != nil {
			t.Fatalf("ParseRule(%q): %v", tt.rule, err)
		}
		if got := r.MatchAll(addrs(tt.codes...)); got != tt.want {
			t.Errorf("rule %q on %v = %v, want %v", tt.rule, tt.codes, got, tt.want)
		}
	}
}

func TestParseRuleErrors(t *testing.T) {
	for _, s := range []string{"127.0.0.2", "=", "=127.0.0", "=::1", "&0", "&0.0.0.0", "=127.0.0.9-127.0.0.2", "=a,b", "?127.0.0.2"} {
		if _, err := ParseRule(s); !errors.Is(err, ErrBadRule) {
			t.Errorf("ParseRule(%q) error = %v, want ErrBadRule", s, err)
		}
	}
}
