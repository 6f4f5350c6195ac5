package evidence

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A conviction held while our mail was in flight is released when its
// logging host's clock passes ownMailWindow + ownRelaySlack: a delivery
// to the prober's host 20 minutes after the callout is not the one it
// verified for (prober), and the probe is counted before the log ends.
func TestOwnRelayHeldIsReleased(t *testing.T) {
	c := advCase{ip: "198.51.100.117", networks: []string{"10.0.0.0/8"},
		log: relayLog("06:29:20", "198.51.100.117", "mx.partner3.example", "06:29:21", "mx.partner3.example[198.51.100.117]", "mx.partner3.example", "06:49:30")}
	if got := advVerdict(t, c); got != "prober:"+RuleEximRandom {
		t.Errorf("got %s, want prober:%s", got, RuleEximRandom)
	}

	var released []*held
	e := newExplainer(func(h *held) { released = append(released, h) })
	at := time.Date(2026, 11, 27, 6, 29, 21, 0, time.UTC)
	e.holdShort("mx", Probe{Time: at, IP: "198.51.100.117", Helo: "mx.partner3.example",
		Recipients: []string{"mx.partner3.example-1795760961-testing@victim.test"}})
	e.advance("mx", at.Add(ownMailWindow))
	if len(released) != 0 {
		t.Fatalf("released before its window passed")
	}
	e.advance("mx", at.Add(ownMailWindow+ownRelaySlack+time.Second))
	if len(released) != 1 || released[0].ownRelay || len(e.byFamily) != 0 || len(e.short) != 0 {
		t.Fatalf("released %d (ownRelay %v), families left %d, short left %d", len(released), len(released) == 1 && released[0].ownRelay, len(e.byFamily), len(e.short))
	}
}

// Our deliveries are remembered per relay family, the latest maxRelayed
// each, and families a day behind the newest delivery are swept.
func TestOwnRelayedIsBounded(t *testing.T) {
	e := newExplainer(func(*held) {})
	t0 := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for i := range 3 * maxRelayed {
		e.ownRelayed("198.51.100.1", "mx.partner.example", "alice@victim.test", t0.Add(time.Duration(i)*time.Second))
	}
	for f, l := range e.relayed {
		if len(l) != maxRelayed {
			t.Errorf("%s keeps %d deliveries, want %d", f, len(l), maxRelayed)
		}
	}
	for i := range 5000 {
		ip := fmt.Sprintf("10.%d.%d.1", i/250, i%250)
		e.ownRelayed(ip, "", "alice@victim.test", t0.Add(48*time.Hour+time.Duration(i)*time.Second))
	}
	if _, ok := e.relayed["ip:198.51.100.1"]; ok {
		t.Errorf("a relay two days behind the newest delivery was not swept")
	}
	if len(e.relayed) > 2*5000+1024 {
		t.Errorf("%d relay families remembered", len(e.relayed))
	}
}

// Our outbound relay logs to its own file (host "out"), the MX to
// another (host "mx"). Read first, the outbound log's delivery to the
// partner explains the partner's random callout in the MX log; read
// after, it comes too late (documented: the callout stays convicted).
func TestOwnRelayAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	full := relayLog("06:29:20", "198.51.100.118", "mx.partner3.example", "06:29:21", "mx.partner3.example[198.51.100.118]", "mx.partner3.example", "06:29:22")
	var out, mx strings.Builder
	for _, l := range strings.SplitAfter(full, "\n") {
		if strings.Contains(l, "smtpd[401]") {
			mx.WriteString(l)
		} else if l != "" {
			out.WriteString(strings.Replace(l, " mx postfix/", " out postfix/", 1))
		}
	}
	outFile := writeFile(t, dir, "out.log", []byte(out.String()))
	mxFile := writeFile(t, dir, "mx.log", []byte(mx.String()))
	for _, c := range []struct {
		inputs []string
		want   string
	}{
		{[]string{outFile, mxFile}, "suspect"},
		{[]string{mxFile, outFile}, "prober"},
	} {
		o := scanOpts(c.inputs...)
		o.OwnNetworks = []string{"10.0.0.0/8"}
		rep, err := Scan(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		got := "none"
		if findProber(rep, "198.51.100.118") != nil {
			got = "prober"
		} else if s := findSuspect(rep, "198.51.100.118"); s != nil && s.NotAccused[WhyOwnMail] > 0 {
			got = "suspect"
		}
		if got != c.want {
			t.Errorf("inputs %v: got %s, want %s", c.inputs, got, c.want)
		}
	}
}
