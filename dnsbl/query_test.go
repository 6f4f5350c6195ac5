package dnsbl

import (
	"errors"
	"net/netip"
	"testing"
)

func TestQueryName(t *testing.T) {
	const v6TestPoint = "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example."
	tests := []struct {
		addr string
		kind Kind
		want string // "" = not applicable
	}{
		{"192.0.2.1", KindIPv4, "1.2.0.192.bl.example."},
		{"127.0.0.2", KindIPv4, "2.0.0.127.bl.example."},
		{"255.255.255.255", KindIPv4, "255.255.255.255.bl.example."},
		{"0.0.0.0", KindIPv4, "0.0.0.0.bl.example."},
		// IPv4-mapped on an IPv4 list: unmapped.
		{"::ffff:192.0.2.1", KindIPv4, "1.2.0.192.bl.example."},
		// The Go trap: on an IPv6 list the RFC 5782 test point stays nibbles.
		{"::ffff:7f00:2", KindIPv6, v6TestPoint},
		{"::ffff:127.0.0.2", KindIPv6, v6TestPoint},
		{"2001:db8::1", KindIPv6, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.example."},
		{"2001:DB8:ABCD::", KindIPv6, "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.8.b.d.0.1.0.0.2.bl.example."},
		{"2001:db8::1", KindIPv4, ""},
		{"192.0.2.1", KindIPv6, ""},
		{"192.0.2.1", KindDomain, ""},
	}
	for _, tt := range tests {
		got, ok := QueryName(netip.MustParseAddr(tt.addr), tt.kind, "bl.example")
		if tt.want == "" {
			if ok {
				t.Errorf("QueryName(%s, %s) = %q, want not applicable", tt.addr, tt.kind, got)
			}
			continue
		}
		if !ok || got != tt.want {
			t.Errorf("QueryName(%s, %s) = %q, %v; want %q", tt.addr, tt.kind, got, ok, tt.want)
		}
	}
}

func TestDomainQueryName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"example.com", "example.com.dbl.example."},
		{"Example.COM.", "example.com.dbl.example."},
		{"TEST", "test.dbl.example."},
		{"bücher.example", "xn--bcher-kva.example.dbl.example."},
		{"例え.テスト", "xn--r8jz45g.xn--zckzah.dbl.example."},
		{"_dmarc.example.org", "_dmarc.example.org.dbl.example."},
		{"bad name.example", ""},
		{"", ""},
		{"a..b", ""},
		{string(make([]byte, 70)) + ".example", ""},
	}
	for _, tt := range tests {
		got, ok := DomainQueryName(tt.in, "dbl.example.")
		if tt.want == "" {
			if ok {
				t.Errorf("DomainQueryName(%q) = %q, want failure", tt.in, got)
			}
			continue
		}
		if !ok || got != tt.want {
			t.Errorf("DomainQueryName(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in   string
		kind TargetKind
		n    int
		err  error
	}{
		{"192.0.2.1", TargetIP, 1, nil},
		{" 2001:db8::1 ", TargetIP, 1, nil},
		{"198.51.100.0/28", TargetNetwork, 16, nil},
		{"198.51.100.7/28", TargetNetwork, 16, nil},
		{"10.0.0.0/20", TargetNetwork, 4096, nil},
		{"10.0.0.0/19", "", 0, ErrTooLarge},
		{"2001:db8::/120", TargetNetwork, 256, nil},
		{"2001:db8::/64", "", 0, ErrTooLarge},
		{"mail.example.org", TargetName, 0, nil},
		{"bücher.example", TargetName, 0, nil},
		{"192.0.2.300", "", 0, ErrBadTarget},
		{"1.2.3", "", 0, ErrBadTarget},
		{"fe80::1%eth0", "", 0, ErrBadTarget},
		{"not a host", "", 0, ErrBadTarget},
		{"", "", 0, ErrBadTarget},
		{"192.0.2.0/33", "", 0, ErrBadTarget},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseTarget(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.Kind != tt.kind || len(got.Addrs()) != tt.n {
			t.Errorf("ParseTarget(%q) = %+v (%d addrs), %v", tt.in, got, len(got.Addrs()), err)
		}
	}
	if got, _ := ParseTarget("bücher.example"); got.Name != "xn--bcher-kva.example" {
		t.Errorf("IDN target name = %q", got.Name)
	}
}
