package dnsbl_test

import (
	"context"
	"math/rand/v2"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsblaudit/dnsblaudit/bench/workload"
	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// Latency of a realistic resolver: 20-80 ms per answer (uniform, mean
// 50 ms) and 1% of queries never answered, as a recursive resolver
// forwarding to list servers across the Internet shows. The rbldnsd
// benchmark measures the checker's CPU; this one shows whether the
// transport's machinery matters when the network dominates.
const (
	latencyMin  = 20 * time.Millisecond
	latencySpan = 60 * time.Millisecond
	latencyMean = latencyMin + latencySpan/2
	dropPercent = 1
)

// startLatencyServer answers every A query NXDOMAIN (the RFC 5782 test
// point 127.0.0.2 listed) after a random delay, and drops 1%.
func startLatencyServer(b *testing.B) (string, *atomic.Int64) {
	b.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var queries atomic.Int64
	h := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		queries.Add(1)
		if rand.IntN(100) < dropPercent {
			return
		}
		time.Sleep(latencyMin + time.Duration(rand.Int64N(int64(latencySpan))))
		r := new(dns.Msg)
		r.SetReply(q)
		name := strings.ToLower(q.Question[0].Name)
		if strings.HasPrefix(name, "2.0.0.127.") && q.Question[0].Qtype == dns.TypeA {
			rr, _ := dns.NewRR(q.Question[0].Name + " 60 IN A 127.0.0.2")
			r.Answer = append(r.Answer, rr)
		} else {
			r.Rcode = dns.RcodeNameError
		}
		w.WriteMsg(r)
	})
	srv := &dns.Server{PacketConn: pc, Handler: h}
	go srv.ActivateAndServe()
	b.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String(), &queries
}

// BenchmarkLatencyResolver: 4096 addresses x 10 lists through a resolver
// 20-80 ms away that drops 1%, against the least the concurrency limit
// allows: ceil(40,960 / concurrency) x the mean latency (no list here has
// a rate limit).
//
//	go test -run '^$' -bench LatencyResolver -benchtime 1x ./dnsbl/
func BenchmarkLatencyResolver(b *testing.B) {
	addr, queries := startLatencyServer(b)
	w := workload.New()
	lists := make([]dnsbl.List, len(w.Zones))
	for i, z := range w.Zones {
		lists[i] = dnsbl.List{Name: z, Zone: z}
	}
	cfg := dnsbl.Config{Resolver: addr, NoCatalogue: true, NoCache: true, Lists: lists}
	jobs := w.Checks()
	floor := time.Duration((jobs+dnsbl.DefaultConcurrency-1)/dnsbl.DefaultConcurrency) * latencyMean
	for b.Loop() {
		c, err := dnsbl.NewChecker(cfg)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		before := queries.Load()
		rep, err := c.Check(context.Background(), []string{workload.Network}, nil)
		el := time.Since(start)
		c.Close()
		if err != nil {
			b.Fatal(err)
		}
		n := rep.Counts()
		b.ReportMetric(el.Seconds(), "s/run")
		b.ReportMetric(floor.Seconds(), "floor-s")
		b.ReportMetric(el.Seconds()/floor.Seconds(), "x-floor")
		b.ReportMetric(float64(n.Error), "errors")
		b.ReportMetric(float64(queries.Load()-before), "queries")
	}
}
