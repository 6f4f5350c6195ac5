package dnsbl_test

import (
	"context"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/bench/workload"
	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// BenchmarkRbldnsdCheck is bench/check.sh's workload (4096 addresses x 10
// lists on a real rbldnsd) run in process, for profiling the checker
// without the command around it:
//
//	go test -run '^$' -bench RbldnsdCheck -cpuprofile cpu.out -memprofile mem.out ./dnsbl/
//
// Each iteration uses a new Checker, so that nothing is answered from the
// cache; the ratio against dnsperf is bench/check.sh's job.
func BenchmarkRbldnsdCheck(b *testing.B) {
	w := workload.New()
	srv := rbldnsdtest.StartT(b, rbldnsdtest.Options{CheckInterval: time.Hour}, w.RbldnsdZones()...)
	lists := make([]dnsbl.List, len(w.Zones))
	for i, z := range w.Zones {
		lists[i] = dnsbl.List{Name: z, Zone: z}
	}
	cfg := dnsbl.Config{Resolver: srv.Addr(), NoCatalogue: true, Lists: lists}
	b.ReportAllocs()
	for b.Loop() {
		c, err := dnsbl.NewChecker(cfg)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := c.Check(context.Background(), []string{workload.Network}, nil)
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
		if n := rep.Counts(); n.Listed+n.NotListed != w.Checks() {
			b.Fatalf("%d definite verdicts of %d: %+v; first: %s", n.Listed+n.NotListed, w.Checks(), n, firstIndefinite(rep))
		}
	}
	b.ReportMetric(float64(w.Checks())*float64(b.N)/b.Elapsed().Seconds(), "checks/s")
}

// firstIndefinite describes the first result that is neither listed nor
// not listed.
func firstIndefinite(rep *dnsbl.Report) string {
	for _, r := range rep.Results {
		if r.Verdict != dnsbl.Listed && r.Verdict != dnsbl.NotListed {
			return r.Query + " on " + r.Zone + ": " + string(r.Verdict) + ": " + r.Reason
		}
	}
	return ""
}
