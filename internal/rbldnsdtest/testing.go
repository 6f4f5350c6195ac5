package rbldnsdtest

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
)

// EnvCI is the variable whose presence turns a missing rbldnsd from a skip
// into a failure, so that CI cannot silently stop testing against it.
const EnvCI = "CI"

// Require returns rbldnsd's path, or ends the test: a skip when rbldnsd is
// missing, a failure when $CI is set.
func Require(t testing.TB) string {
	t.Helper()
	bin, err := Binary()
	if err == nil {
		return bin
	}
	switch {
	case !errors.Is(err, ErrNotInstalled):
		t.Fatal(err)
	case os.Getenv(EnvCI) == "":
		t.Skipf("skipping: %v", err)
	default:
		t.Fatalf("%v ($%s is set: this test must run)", err, EnvCI)
	}
	return ""
}

// StartT starts a server for the test (see Start), skipping or failing as
// Require does when rbldnsd is missing, and closes it when the test ends.
func StartT(t testing.TB, opts Options, zones ...Zone) *Server {
	t.Helper()
	Require(t)
	if opts.IPv6 && !hasIPv6Loopback() {
		// Not a missing package: some containers have no ::1 at all.
		t.Skip("skipping: no IPv6 loopback (::1) on this machine")
	}
	s, err := Start(context.Background(), opts, zones...)
	if err != nil {
		t.Fatalf("start rbldnsd: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("stop rbldnsd: %v", err)
		}
	})
	return s
}

// hasIPv6Loopback reports whether a UDP socket can be bound on ::1.
func hasIPv6Loopback() bool {
	pc, err := net.ListenPacket("udp6", "[::1]:0")
	if err != nil {
		return false
	}
	pc.Close()
	return true
}
