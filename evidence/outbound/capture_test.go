package outbound

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

// The outbound capture of ../testdata/mta (capture-outbound.sh; what was
// sent is in scenarios.md and outbound-transcripts.txt). Every number
// below is from what the clients sent, not from this package's output.

func scanOwn(t *testing.T, own string, files ...string) *Report {
	t.Helper()
	var nets []netip.Prefix
	if own != "" {
		nets = []netip.Prefix{netip.MustParsePrefix(own)}
	}
	rep, err := Scan(context.Background(), Options{Files: files, YearReference: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), OwnNetworks: nets})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Files {
		if f.Error != "" || f.Malformed != 0 {
			t.Errorf("%s: error %q, %d malformed", f.File, f.Error, f.Malformed)
		}
	}
	// None of the captured servers was an open relay (the one relay
	// attempt of the scenario, 127.0.0.120, was refused with 454).
	if own != "" && (!rep.RelayChecked || rep.Relayed.Count != 0) {
		t.Errorf("%v: relayed %d", files, rep.Relayed.Count)
	}
	return rep
}

// o-backscatter: mx.ours.test accepted 12 spams for made-up users
// (local_recipient_maps empty), local(8) failed each, bounce(8) sent 12
// notifications to the forged senders: 9 delivered (rita, ron, sam x3),
// 3 refused at RCPT (kqzvt, yxfep, plorwe). One spam to alice was
// delivered and bounced nothing.
func TestCaptureBackscatter(t *testing.T) {
	rep := scanOwn(t, "127.0.4.0/24", mta("postfix-backscatter.log"))
	b := rep.Bounces
	if b.Generated != 12 || b.Remote.Count != 12 || b.Remote.Rejected != 3 || b.Remote.Deferred != 0 {
		t.Errorf("bounces: generated %d, to other hosts %d (%d refused, %d deferred); want 12, 12 (3, 0)", b.Generated, b.Remote.Count, b.Remote.Rejected, b.Remote.Deferred)
	}
	want := []string{"kqzvt@remote1.test", "plorwe@remote2.test", "rita@remote1.test", "ron@remote1.test", "sam@remote2.test", "yxfep@remote1.test"}
	if !slices.Equal(b.Recipients, want) {
		t.Errorf("bounce recipients %q", b.Recipients)
	}
	if rep.Local.Count != 13 || rep.Local.Rejected != 12 {
		t.Errorf("local %d (%d failed), want 13 (12 unknown users, alice delivered)", rep.Local.Count, rep.Local.Rejected)
	}
	if len(rep.Senders) != 0 || rep.Callouts.Count != 0 {
		t.Errorf("senders %+v, callouts %d: the MX sent nothing but bounces", rep.Senders, rep.Callouts.Count)
	}
}

// o-sasl-burst: bob@ours.test's stolen password, 20 messages to 3
// recipients each (ron delivered; userN 550 at RCPT; sam 550 after DATA):
// 60 attempts, 22 distinct recipients, 40 refused. alice: 2 messages,
// delivered. The 20 non-delivery notifications went to bob, locally.
func TestCaptureSASLBurst(t *testing.T) {
	rep := scanOwn(t, "127.0.4.0/24", mta("postfix-sasl.log"))
	if len(rep.Senders) != 2 {
		t.Fatalf("senders %+v", rep.Senders)
	}
	bob, alice := rep.Senders[0], rep.Senders[1]
	if bob.Sender != "bob@ours.test" || !bob.Auth || bob.Messages != 20 || bob.Remote.Count != 60 || bob.Remote.Rejected != 40 || bob.Recipients != 22 {
		t.Errorf("bob %+v", bob)
	}
	if alice.Sender != "alice@ours.test" || !alice.Auth || alice.Messages != 2 || alice.Remote.Count != 2 || alice.Remote.Rejected != 0 {
		t.Errorf("alice %+v", alice)
	}
	if rep.Bounces.Generated != 20 || rep.Bounces.Remote.Count != 0 || rep.Local.Count != 20 {
		t.Errorf("bounces %d (%d to other hosts), local %d; want 20 bounces, all local", rep.Bounces.Generated, rep.Bounces.Remote.Count, rep.Local.Count)
	}
}

// o-exim-auth-burst and o-exim-own-callouts: carl@ours2.test (A=) sent
// 24 messages, 36 remote recipients, 24 refused; dora 1 message. The MX
// verified 4 forged senders with callouts; 3 failed (zyxwq, mmvbe,
// plorwe) and Exim logs only those: rita's callout succeeded and left no
// line of its own.
func TestCaptureEximOutbound(t *testing.T) {
	rep := scanOwn(t, "127.0.4.0/24", mta("exim-outbound.log"))
	if len(rep.Senders) != 2 {
		t.Fatalf("senders %+v", rep.Senders)
	}
	carl, dora := rep.Senders[0], rep.Senders[1]
	if carl.Sender != "carl@ours2.test" || !carl.Auth || carl.Messages != 24 || carl.Remote.Count != 36 || carl.Remote.Rejected != 24 {
		t.Errorf("carl %+v", carl)
	}
	if dora.Sender != "dora@ours2.test" || dora.Messages != 1 || dora.Remote.Count != 1 {
		t.Errorf("dora %+v", dora)
	}
	c := rep.Callouts
	if c.Count != 3 || c.Rejected != 3 || !slices.Equal(c.Hosts, []string{"127.0.5.45[127.0.5.45]", "127.0.5.46[127.0.5.46]"}) {
		t.Errorf("callouts %d (%d failed) to %q; want the 3 failed ones to remote1 and remote2", c.Count, c.Rejected, c.Hosts)
	}
	if rep.Bounces.Generated != 24 || rep.Bounces.Remote.Count != 0 {
		t.Errorf("bounces %+v: carl's 24 failures bounced to carl, locally", rep.Bounces)
	}
}

// o-postfix-own-verify: prober2.test's reject_unverified_sender MX
// verified wobblequ and erin at victim2.test's MX and wobblequ4 and erin
// at victim4.test's: 4 probes, 2 undeliverable. The own gateway's
// reject_unverified_recipient probes go to the own MX (127.0.1.35, inside
// 127.0.1.0/24): not callouts to others.
func TestCapturePostfixVerify(t *testing.T) {
	rep := scanOwn(t, "127.0.2.0/24", mta("postfix-prober-i.log"))
	if rep.Callouts.Count != 4 || rep.Callouts.Rejected != 2 || rep.InternalCallouts != 0 {
		t.Errorf("prober: callouts %d (%d refused), internal %d; want 4 (2), 0", rep.Callouts.Count, rep.Callouts.Rejected, rep.InternalCallouts)
	}
	gw := scanOwn(t, "127.0.1.0/24", mta("postfix-gateway.log"))
	if gw.Callouts.Count != 0 || gw.InternalCallouts != 3 || gw.Deliveries.Count != 0 {
		t.Errorf("gateway: callouts %d, internal %d, deliveries to others %d; want 0, 3 (bob, formerstaff, typo-bob), 0", gw.Callouts.Count, gw.InternalCallouts, gw.Deliveries.Count)
	}
}

// The own internal Exim server (exim-ownserver.log, in 127.0.1.0/24)
// bounced two spams it could not route back to their (forged)
// victim.test senders through the own MX 127.0.1.35: bounces generated,
// none sent to another host.
func TestCaptureOwnServerBouncesStayInside(t *testing.T) {
	rep := scanOwn(t, "127.0.1.0/24", mta("exim-ownserver.log"))
	if rep.Bounces.Generated != 2 || rep.Bounces.Remote.Count != 0 {
		t.Errorf("bounces generated %d, to other hosts %d; want 2, 0", rep.Bounces.Generated, rep.Bounces.Remote.Count)
	}
}

// A statement about failures quotes failures: the local deliveries that
// bounced, not the first local deliveries of the day.
func TestRejectedSamplesAreRejections(t *testing.T) {
	rep := scanOwn(t, "127.0.4.0/24", mta("postfix-backscatter.log"))
	if len(rep.Local.RejectedSamples) != 5 || rep.Local.FirstRejected == nil || !rep.Local.FirstRejected.Equal(time.Date(2026, 12, 6, 5, 26, 4, 0, time.UTC)) {
		t.Fatalf("rejected samples %+v", rep.Local.RejectedSamples)
	}
	for _, l := range rep.Local.RejectedSamples {
		if !strings.Contains(l.Raw, "status=bounced (unknown user") {
			t.Errorf("line %d is no failure: %s", l.Line, l.Raw)
		}
	}
}

// postfix-victim.log: alice (127.0.0.50, inside) mailed dave@prober.test;
// 127.0.0.120's relay attempt was refused (454): nothing relayed.
func TestCaptureNoRelay(t *testing.T) {
	rep := scanOwn(t, "127.0.0.32/27", mta("postfix-victim.log"))
	if rep.Deliveries.Count != 1 || rep.Relayed.Count != 0 {
		t.Errorf("deliveries %d, relayed %d; want 1 (alice's), 0", rep.Deliveries.Count, rep.Relayed.Count)
	}
}
