package dnsbl_test

import (
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// The integration tests use rbldnsdtest's fixture zones; short names here.
const (
	zoneNormal  = rbldnsdtest.ZoneNormal
	zoneWorld   = rbldnsdtest.ZoneWorld
	zoneRefuse  = rbldnsdtest.ZoneRefuse
	zoneIPv6    = rbldnsdtest.ZoneIPv6
	zoneDomains = rbldnsdtest.ZoneDomains
	normalMain  = rbldnsdtest.NormalMain
)

// startLists runs rbldnsd with every fixture zone for the test.
func startLists(t *testing.T) *rbldnsdtest.Server {
	t.Helper()
	return rbldnsdtest.StartFixtures(t)
}
