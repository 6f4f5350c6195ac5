package evidence

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestZZReportPhases(t *testing.T) {
	p := os.Getenv("EVIDENCE_BENCH_LOG")
	if p == "" {
		t.Skip()
	}
	o := ScanOptions{Inputs: []string{p}, Domains: []string{"victim.example"}, Zone: time.UTC}
	o.defaults()
	sc := newScanner(&o, nil)
	ins, _ := expandInputs(o.Inputs)
	t0 := time.Now()
	sc.scanInput(context.Background(), ins[0])
	t1 := time.Now()
	sc.camp.bounceUses(sc.agg.retriedBounces())
	t2 := time.Now()
	probers := sc.agg.result()
	t3 := time.Now()
	for _, u := range sc.camp.forged {
		u.final()
	}
	for _, u := range sc.camp.bounces {
		u.final()
	}
	t4 := time.Now()
	links := sc.camp.links(probers, o.LinkWindow)
	t5 := time.Now()
	t.Logf("scan %v bounceUses %v probers %v finals %v links %v (%d links, %d forged, %d bounces, %d probers)", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), t5.Sub(t4), len(links), len(sc.camp.forged), len(sc.camp.bounces), len(probers))
}
