package rbldnsdtest

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

var listZone = Zone{
	Name: "bl.example.test",
	Type: "ip4set",
	Data: ":127.0.0.2:Listed, see https://bl.example.test/q?$\n127.0.0.2\n192.0.2.10 :127.0.0.3:\n",
}

// query asks the server for name/qtype and returns the rcode and the
// answer's A or TXT strings.
func query(t *testing.T, s *Server, name string, qtype uint16) (int, []string) {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	c := &dns.Client{Timeout: 2 * time.Second}
	r, _, err := c.Exchange(m, s.Addr())
	if err != nil {
		t.Fatalf("query %s: %v", name, err)
	}
	var out []string
	for _, rr := range r.Answer {
		switch v := rr.(type) {
		case *dns.A:
			out = append(out, v.A.String())
		case *dns.TXT:
			out = append(out, v.Txt...)
		}
	}
	return r.Rcode, out
}

func TestServesZones(t *testing.T) {
	s := StartT(t, Options{}, listZone, Zone{Name: "dbl.example.test", Type: "dnset", Data: "test\n"})
	if rc, a := query(t, s, "2.0.0.127.bl.example.test", dns.TypeA); rc != dns.RcodeSuccess || !slices.Equal(a, []string{"127.0.0.2"}) {
		t.Errorf("127.0.0.2: rcode %d, %v", rc, a)
	}
	if _, txt := query(t, s, "2.0.0.127.bl.example.test", dns.TypeTXT); !slices.Equal(txt, []string{"Listed, see https://bl.example.test/q?127.0.0.2"}) {
		t.Errorf("TXT: %q", txt)
	}
	if _, a := query(t, s, "10.2.0.192.bl.example.test", dns.TypeA); !slices.Equal(a, []string{"127.0.0.3"}) {
		t.Errorf("192.0.2.10: %v", a)
	}
	if rc, _ := query(t, s, "1.0.0.127.bl.example.test", dns.TypeA); rc != dns.RcodeNameError {
		t.Errorf("127.0.0.1: rcode %d, want NXDOMAIN", rc)
	}
	if _, a := query(t, s, "test.dbl.example.test", dns.TypeA); !slices.Equal(a, []string{"127.0.0.2"}) {
		t.Errorf("TEST: %v", a)
	}
}

func TestRewriteReloads(t *testing.T) {
	s := StartT(t, Options{}, listZone)
	file := listZone.Name + ".ip4set"
	ctx := context.Background()
	if err := s.Rewrite(ctx, file, "127.0.0.2\n198.51.100.7\n"); err != nil {
		t.Fatal(err)
	}
	if _, a := query(t, s, "7.100.51.198.bl.example.test", dns.TypeA); !slices.Equal(a, []string{"127.0.0.2"}) {
		t.Errorf("after Rewrite: %v", a)
	}
	// Within the same second: the mtime must still change.
	if err := s.RewriteNow(ctx, file, "127.0.0.2\n"); err != nil {
		t.Fatal(err)
	}
	if rc, _ := query(t, s, "7.100.51.198.bl.example.test", dns.TypeA); rc != dns.RcodeNameError {
		t.Errorf("after RewriteNow: rcode %d, want NXDOMAIN", rc)
	}
	if err := s.RewriteNow(ctx, "other", ""); !errors.Is(err, ErrUnknownFile) {
		t.Errorf("unknown file: %v", err)
	}
}

func TestRejectedDataIsAnError(t *testing.T) {
	Require(t)
	bad := Zone{Name: "bad.example.test", Type: "ip4set", Data: "127.0.0.2\n0.0.0.0/0\n"}
	s, err := Start(context.Background(), Options{}, bad)
	if err == nil {
		s.Close()
		t.Fatal("Start accepted a zone rbldnsd rejected a line of")
	}
	if !errors.Is(err, ErrZoneFile) {
		t.Fatalf("err = %v, want ErrZoneFile", err)
	}
	t.Log(err)
}

func TestRewriteRejectedData(t *testing.T) {
	s := StartT(t, Options{}, listZone)
	err := s.RewriteNow(context.Background(), listZone.Name+".ip4set", "127.0.0.2\nnot-an-address\n")
	if !errors.Is(err, ErrZoneFile) {
		t.Fatalf("err = %v, want ErrZoneFile", err)
	}
}

func TestCloseStopsAndCleansUp(t *testing.T) {
	Require(t)
	a, err := Start(context.Background(), Options{}, listZone)
	if err != nil {
		t.Fatal(err)
	}
	b := StartT(t, Options{}, listZone)
	if a.Port() == b.Port() {
		t.Errorf("two servers on one port %d", a.Port())
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := os.Stat(a.Dir()); !os.IsNotExist(err) {
		t.Errorf("directory left behind: %v", err)
	}
	select {
	case <-a.done:
	default:
		t.Error("process still running after Close")
	}
}

func TestBadZoneSpec(t *testing.T) {
	for _, z := range []Zone{
		{Name: "a:b", Type: "ip4set"},
		{Name: "x.test", Type: "ip4set", File: "../escape"},
		{Name: "x.test"},
	} {
		if _, err := files([]Zone{z}); !errors.Is(err, ErrBadZone) {
			t.Errorf("%+v: err = %v", z, err)
		}
	}
	_, err := files([]Zone{{Name: "a.test", Type: "ip4set", File: "f", Data: "1"}, {Name: "b.test", Type: "ip4set", File: "f", Data: "2"}})
	if !errors.Is(err, ErrBadZone) {
		t.Errorf("conflicting contents: %v", err)
	}
}

func TestFixturesLoad(t *testing.T) {
	s := StartFixtures(t)
	if rc, a := query(t, s, "2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."+ZoneIPv6, dns.TypeA); rc != dns.RcodeSuccess || len(a) != 1 {
		t.Errorf("IPv6 test point: rcode %d, %v", rc, a)
	}
	if _, a := query(t, s, "11.2.0.192."+ZoneNormal, dns.TypeA); len(a) != 2 {
		t.Errorf("two datasets: %v", a)
	}
}

func TestFreezeTimesOut(t *testing.T) {
	s := StartT(t, Options{}, listZone)
	if err := s.Freeze(); err != nil {
		t.Fatal(err)
	}
	m := new(dns.Msg)
	m.SetQuestion("2.0.0.127.bl.example.test.", dns.TypeA)
	c := &dns.Client{Timeout: 300 * time.Millisecond}
	if _, _, err := c.Exchange(m, s.Addr()); err == nil {
		t.Error("a frozen rbldnsd answered")
	}
	if err := s.Thaw(); err != nil {
		t.Fatal(err)
	}
	if rc, _ := query(t, s, "2.0.0.127.bl.example.test", dns.TypeA); rc != dns.RcodeSuccess {
		t.Errorf("after Thaw: rcode %d", rc)
	}
	// Close must also stop a frozen server promptly.
	if err := s.Freeze(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.Close(); err != nil || time.Since(start) > 3*time.Second {
		t.Errorf("Close of a frozen server: %v after %v", err, time.Since(start))
	}
}

// A port taken between picking and binding makes rbldnsd exit; Start
// tries another.
func TestRetriesTakenPort(t *testing.T) {
	Require(t)
	taken, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	takenPort := uint16(taken.LocalAddr().(*net.UDPAddr).Port)
	calls := 0
	pickPort = func(h netip.Addr) (uint16, error) {
		calls++
		if calls == 1 {
			return takenPort, nil
		}
		return freeUDPPort(h)
	}
	defer func() { pickPort = freeUDPPort }()
	s, err := Start(context.Background(), Options{}, listZone)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if calls != 2 || s.Port() == int(takenPort) {
		t.Errorf("%d picks, port %d (taken: %d)", calls, s.Port(), takenPort)
	}
}

func TestServesOverIPv6(t *testing.T) {
	s := StartT(t, Options{IPv6: true}, listZone)
	if !s.AddrPort().Addr().Is6() || !strings.HasPrefix(s.Addr(), "[::1]:") {
		t.Errorf("address %s", s.Addr())
	}
	if rc, a := query(t, s, "2.0.0.127.bl.example.test", dns.TypeA); rc != dns.RcodeSuccess || !slices.Equal(a, []string{"127.0.0.2"}) {
		t.Errorf("over IPv6: rcode %d, %v", rc, a)
	}
}
