package dnsbl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// A SERVFAIL, a REFUSED or a timeout from the first resolv.conf server is
// asked again of the next one (resolv.conf(5)); it used to be final.
func TestFailoverOnServfailRefusedTimeout(t *testing.T) {
	for _, fault := range []dnstest.Fault{dnstest.ServFail, dnstest.Refuse, dnstest.Drop} {
		bad, good := startServer(t), startServer(t)
		bad.Fault("bl.test", fault)
		good.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "", "127.0.0.2")
		conf := filepath.Join(t.TempDir(), "resolv.conf")
		os.WriteFile(conf, []byte("nameserver 192.0.2.53\nnameserver 192.0.2.54\n"), 0o600)
		real := NewNetTransport()
		defer real.Close()
		mt := &routingTransport{real: real, to: map[string]string{"192.0.2.53:53": bad.Addr, "192.0.2.54:53": good.Addr}}
		cfg := Config{ResolvConf: conf, NoCatalogue: true, Lists: []List{{Name: "bl", Zone: "bl.test"}}, Timeout: 100 * time.Millisecond, Retries: 1}
		c, err := NewChecker(cfg, WithTransport(mt), WithClock(fixedClock))
		if err != nil {
			t.Fatal(err)
		}
		rep := check(t, c, "192.0.2.1")
		c.Close()
		if r := rep.Results[0]; r.Verdict != Listed {
			t.Errorf("fault %d: result %s (%s), want listed through the second server", fault, r.Verdict, r.Reason)
		}
		if rep.Health[0].Status != Healthy {
			t.Errorf("fault %d: health %+v", fault, rep.Health[0])
		}
		mt.mu.Lock()
		if len(mt.sent) == 0 || mt.sent[0] != "192.0.2.53:53" {
			t.Errorf("fault %d: first query went to %v", fault, mt.sent)
		}
		mt.mu.Unlock()
	}
}

// When every server fails, the error says so and names each failure.
func TestFailoverAllFail(t *testing.T) {
	a, b := startServer(t), startServer(t)
	a.Fault("bl.test", dnstest.ServFail)
	b.Fault("bl.test", dnstest.Refuse)
	conf := filepath.Join(t.TempDir(), "resolv.conf")
	os.WriteFile(conf, []byte("nameserver 192.0.2.53\nnameserver 192.0.2.54\n"), 0o600)
	real := NewNetTransport()
	defer real.Close()
	mt := &routingTransport{real: real, to: map[string]string{"192.0.2.53:53": a.Addr, "192.0.2.54:53": b.Addr}}
	c, err := NewChecker(Config{ResolvConf: conf, NoCatalogue: true, Lists: []List{{Name: "bl", Zone: "bl.test"}}, Timeout: 100 * time.Millisecond, Retries: 1},
		WithTransport(mt), WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := check(t, c, "192.0.2.1").Results[0]
	if r.Verdict != Error {
		t.Errorf("result %+v", r)
	}
	for _, want := range []string{"every resolver failed", "SERVFAIL", "REFUSED"} {
		if !strings.Contains(strings.ToLower(r.Reason), strings.ToLower(want)) {
			t.Errorf("reason %q lacks %q", r.Reason, want)
		}
	}
}
