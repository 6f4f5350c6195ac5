package rbldnsdtest

import (
	"context"
	"errors"
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
