package investigate

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
)

// The outbound capture of ../evidence/testdata/mta (scenarios.md): each
// log is our own MX's, captured on 2026-12-06 around 05:20–05:28 UTC. A
// listing with a "dictionary attacks" reason that began at 06:00, after a
// clean run at 05:00, is explained by what each MX sent, as scenarios.md
// says a correct tool concludes.

var (
	captureStart = time.Date(2026, 12, 6, 6, 0, 0, 0, time.UTC)
	captureClean = time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)
)

func captureListing(reason string) Listing {
	start, clean := captureStart, captureClean
	return Listing{Target: "127.0.4.35", List: "trapbl", TXT: []string{reason}, Since: &start, SinceSource: "history",
		SinceKind: SinceBracketed, CleanBefore: &clean}
}

func captureOutbound(t *testing.T, own, file string) *outbound.Report {
	t.Helper()
	rep, err := outbound.Scan(context.Background(), outbound.Options{Files: []string{"../evidence/testdata/mta/" + file},
		YearReference: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), OwnNetworks: []netip.Prefix{netip.MustParsePrefix(own)}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func weighCapture(t *testing.T, file, reason string) []Explanation {
	ob := captureOutbound(t, "127.0.4.0/24", file)
	return Weigh(Evidence{Listings: []Listing{captureListing(reason)}, Received: evidence.Report{Stats: evidence.Stats{Lines: ob.Lines}}, Outbound: ob})
}

// o-backscatter: own-backscatter supported, nothing else.
func TestCaptureOwnBackscatter(t *testing.T) {
	es := weighCapture(t, "postfix-backscatter.log", "Listed for backscatter: bounces to addresses that never sent mail")
	if es[0].Name != ExplainOwnBackscatter {
		t.Errorf("best %s", es[0].Name)
	}
	wantVerdict(t, byName(es, ExplainOwnBackscatter), Supported, "12 bounces to other hosts", "3 of them refused there")
	wantVerdict(t, byName(es, ExplainOwnCallouts), NotSupported)
	wantVerdict(t, byName(es, ExplainOutboundSpam), NotSupported)
	// Backscatter is not what callouts received can explain.
	wantVerdict(t, byName(es, ExplainReceivedCallouts), NotSupported)
}

// o-sasl-burst: outbound-spam supported for bob@ours.test, not alice.
func TestCaptureSASLBurstExplains(t *testing.T) {
	es := weighCapture(t, "postfix-sasl.log", "Listed for sending spam to our spam traps")
	e := byName(es, ExplainOutboundSpam)
	wantVerdict(t, e, Supported, "the authenticated user bob@ours.test, 60 on 2026-12-06 against a usual 2")
	if len(e.Facts) != 1 {
		t.Errorf("facts %+v: only bob jumped", e.Facts)
	}
	wantVerdict(t, byName(es, ExplainOwnBackscatter), NotSupported)
}

// o-exim-auth-burst and o-exim-own-callouts: carl's burst and the MX's
// own callouts are both supported by a reason that names dictionary
// attacks only for the callouts; a spam-trap reason points away from
// callouts.
func TestCaptureEximOutboundExplains(t *testing.T) {
	es := weighCapture(t, "exim-outbound.log", "Listed as a source of dictionary attacks")
	wantVerdict(t, byName(es, ExplainOwnCallouts), Supported, "(3 probes, 3 refused)")
	wantVerdict(t, byName(es, ExplainOutboundSpam), Supported, "the authenticated user carl@ours2.test, 36 on 2026-12-06 against a usual 1")
	es = weighCapture(t, "exim-outbound.log", "Listed for sending spam to our spam traps")
	wantVerdict(t, byName(es, ExplainOwnCallouts), Partial, "points elsewhere (spam source")
	wantVerdict(t, byName(es, ExplainOutboundSpam), Supported)
}

// o-postfix-own-verify: the gateway's recipient verification asks the
// own MX: no own-callouts to others, so nothing supports them.
func TestCaptureGatewayVerifyIsNoOwnCallout(t *testing.T) {
	ob := captureOutbound(t, "127.0.1.0/24", "postfix-gateway.log")
	es := Weigh(Evidence{Listings: []Listing{captureListing("Listed as a source of dictionary attacks")}, Outbound: ob})
	wantVerdict(t, byName(es, ExplainOwnCallouts), NotSupported, "Its 3 verification probes went to the own networks")
}
