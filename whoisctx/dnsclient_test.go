package whoisctx

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// A truncated UDP answer is asked again over TCP (RFC 7766 §5).
func TestDNSTruncatedRetriesOverTCP(t *testing.T) {
	srv, err := whoistest.StartDNS()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Origin(netip.MustParsePrefix("62.239.0.0/16"), "2856 | 62.239.0.0/16 | GB | ripencc | 1999-07-19")
	srv.TruncateUDP(true)
	c, err := newDNSClient([]string{srv.Addr()}, nil, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	o, _, err := lookupOrigin(context.Background(), dnsLookup{ex: c}, netip.MustParseAddr("62.239.237.1"))
	if err != nil || o.ASN != 2856 {
		t.Errorf("origin = %+v, %v", o, err)
	}
}

// A dead server is skipped for the next one.
func TestDNSNextServer(t *testing.T) {
	srv, err := whoistest.StartDNS()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	_ = srv.AbuseNet("example.net", "abuse@example.net")
	c, err := newDNSClient([]string{"127.0.0.1:1", srv.Addr()}, nil, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	txt, err := dnsLookup{ex: c}.TXT(context.Background(), "example.net.contacts.abuse.net")
	if err != nil || strings.Join(txt, "") != "abuse@example.net" {
		t.Errorf("TXT = %q, %v", txt, err)
	}
}

func TestReversedName(t *testing.T) {
	for in, want := range map[string]string{
		"62.239.237.10":        "10.237.239.62",
		"::ffff:62.239.237.10": "10.237.239.62",
		"2001:db8::1":          "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2",
	} {
		if got := reversedName(netip.MustParseAddr(in)); got != want {
			t.Errorf("reversedName(%s) = %s, want %s", in, got, want)
		}
	}
}
