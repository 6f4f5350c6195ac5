package dnsbl

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsblaudit/dnsblaudit/internal/dnstest"
)

// retransMapTransport is routingTransport with the real transport's
// retransmissions and send window, so that a dead server costs what it
// costs in production.
type retransMapTransport struct{ routingTransport }

func (m *retransMapTransport) exchangeRetrans(ctx context.Context, q *dns.Msg, server string, retries int, timeout func(int) time.Duration) (*dns.Msg, int, error) {
	return m.real.exchangeRetrans(ctx, q, m.route(server), retries, timeout)
}

// A first resolv.conf server that answers nothing at all (down, or a
// firewall dropping its queries) is set aside once it has failed a few
// lookups in a row: the rest go to the next server first. Asking the dead
// one first every time cost each lookup its full retry budget, and its
// send window, shrunk by the losses, let only two of them wait at a time:
// a /27 on two lists took 50 s, a /20 would take hours.
func TestFailoverSetsAsideDeadServer(t *testing.T) {
	bad, good := startServer(t), startServer(t)
	bad.Fault("test", dnstest.Drop)
	good.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "", "127.0.0.2")
	conf := filepath.Join(t.TempDir(), "resolv.conf")
	os.WriteFile(conf, []byte("nameserver 192.0.2.53\nnameserver 192.0.2.54\n"), 0o600)
	real := NewNetTransport()
	defer real.Close()
	mt := &retransMapTransport{routingTransport{real: real, to: map[string]string{"192.0.2.53:53": bad.Addr, "192.0.2.54:53": good.Addr}}}
	cfg := Config{ResolvConf: conf, NoCatalogue: true, Lists: []List{{Name: "bl", Zone: "bl.test"}},
		Timeout: 300 * time.Millisecond, Retries: 3}
	c, err := NewChecker(cfg, WithTransport(mt), WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	rep := check(t, c, "192.0.2.0/25")
	took := time.Since(start)
	listed := 0
	for _, r := range rep.Results {
		switch r.Verdict {
		case Listed:
			listed++
		case NotListed:
		default:
			t.Fatalf("%s: %s (%s), want an answer through the second server", r.Query, r.Verdict, r.Reason)
		}
	}
	if listed != 1 {
		t.Errorf("%d listed, want 1", listed)
	}
	// The first wave of lookups (up to the concurrency, 100) is sent to
	// the dead server and waits 2 x 400 ms; then it is set aside and the
	// rest go to the good one. Waiting on its shrunk window took 4.5 s.
	if took > 2500*time.Millisecond {
		t.Errorf("took %v with a dead first server", took)
	}
}
