package dnsbl

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// routingTransport stands in for the network in front of fake servers:
// every resolver address is routed to its server in to, or else to addr,
// except those in dead, which never answer. It records which resolver
// each query was sent to.
type routingTransport struct {
	real *NetTransport
	addr string
	to   map[string]string
	dead map[string]bool
	mu   sync.Mutex
	sent []string
}

// route records a query meant for server and returns where it goes.
func (r *routingTransport) route(server string) string {
	r.mu.Lock()
	r.sent = append(r.sent, server)
	r.mu.Unlock()
	if to, ok := r.to[server]; ok {
		return to
	}
	return r.addr
}

func (r *routingTransport) Exchange(ctx context.Context, m *dns.Msg, server string, tcp bool) (*dns.Msg, error) {
	to := r.route(server)
	if r.dead[server] {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return r.real.Exchange(ctx, m, to, tcp)
}

func TestSystemResolverFailsOver(t *testing.T) {
	srv := startServer(t)
	srv.HealthyIPv4("bl.test").ListIP("bl.test", "192.0.2.1", "", "127.0.0.2")
	conf := filepath.Join(t.TempDir(), "resolv.conf")
	os.WriteFile(conf, []byte("# test\nnameserver 192.0.2.53\nnameserver 2001:db8::53\noptions ndots:1\n"), 0o600)
	real := NewNetTransport()
	defer real.Close()
	rt := &routingTransport{real: real, addr: srv.Addr, dead: map[string]bool{"192.0.2.53:53": true}}
	cfg := Config{ResolvConf: conf, NoCatalogue: true, Lists: []List{{Name: "bl", Zone: "bl.test"}}, Timeout: 200 * time.Millisecond, Retries: 1}
	c, err := NewChecker(cfg, WithTransport(rt), WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := c.Lists()[0].Resolver; got != "192.0.2.53:53,[2001:db8::53]:53" {
		t.Errorf("resolvers from resolv.conf: %q", got)
	}
	rep := check(t, c, "192.0.2.1")
	if r := rep.Results[0]; r.Verdict != Listed {
		t.Errorf("result %+v", r)
	}
	if rep.Health[0].Status != Healthy {
		t.Errorf("health %+v", rep.Health)
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if len(rt.sent) < 2 || rt.sent[0] != "192.0.2.53:53" {
		t.Errorf("queries went to %v; want the first nameserver first, then the next", rt.sent)
	}
}

func TestSystemResolverMissing(t *testing.T) {
	_, err := NewChecker(Config{ResolvConf: filepath.Join(t.TempDir(), "none"), Only: []string{"spamcop"}})
	if err == nil {
		t.Fatal("no error for a missing resolv.conf")
	}
}
