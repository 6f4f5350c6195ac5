package investigate

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/evidence/outbound"
)

// bracketed is the story's listing with a start a clean run brackets.
func bracketed(txt string, start time.Time) Listing {
	clean := start.Add(-6 * time.Hour)
	return Listing{Target: "203.0.113.25", List: "callbackrl", TXT: []string{txt}, Since: &start,
		SinceSource: "history", SinceKind: SinceBracketed, CleanBefore: &clean}
}

const dictionaryTXT = "The sending IP (203.0.113.25) is listed on https://rbl.test as a source of dictionary attacks."

func received(es []Explanation) Explanation {
	for _, e := range es {
		if e.Name == ExplainReceivedCallouts {
			return e
		}
	}
	return Explanation{}
}

func wantVerdict(t *testing.T, e Explanation, verdict string, phrases ...string) {
	t.Helper()
	if e.Verdict != verdict {
		t.Errorf("%s: verdict %s, want %s:\n%s", e.Name, e.Verdict, verdict, e.Summary)
	}
	for _, p := range phrases {
		if !strings.Contains(e.Summary, p) {
			t.Errorf("%s: summary lacks %q:\n%s", e.Name, p, e.Summary)
		}
	}
}

// The story itself: everything in place.
func TestReceivedCalloutsSupported(t *testing.T) {
	e := received(Weigh(Evidence{Listings: []Listing{bracketed(dictionaryTXT, listed)}, Received: storyReport(3)}))
	wantVerdict(t, e, Supported, `its reason text says "dictionary attacks"`, "a run at 2026-11-20 09:49:25 UTC saw the subject clean")
}

// Issue 12: "supported" for an IP that no list lists.
func TestReceivedCalloutsNoListing(t *testing.T) {
	e := received(Weigh(Evidence{Received: storyReport(3)}))
	wantVerdict(t, e, Partial, "o list lists the subject now")
}

// Issue 12: "supported" with --no-history, and with a history that only
// knows when this tool first saw the listing.
func TestReceivedCalloutsStartUnknown(t *testing.T) {
	noStart := Listing{Target: "203.0.113.25", List: "callbackrl", TXT: []string{dictionaryTXT}}
	wantVerdict(t, received(Weigh(Evidence{Listings: []Listing{noStart}, Received: storyReport(3)})), Partial, "has no known start")
	first := listed
	seen := Listing{Target: "203.0.113.25", List: "callbackrl", TXT: []string{dictionaryTXT}, Since: &first, SinceKind: SinceFirstSeen}
	wantVerdict(t, received(Weigh(Evidence{Listings: []Listing{seen}, Received: storyReport(3)})), Partial,
		"was first seen at 2026-11-20 15:49:25 UTC, but no earlier run saw the subject clean")
}

// Issue 12: "supported" for a listing whose reason says "exploited host:
// botnet infection"; and for policy and spam-source reasons.
func TestReceivedCalloutsReasonPointsElsewhere(t *testing.T) {
	for txt, class := range map[string]string{
		"exploited host: botnet infection":                  `exploited host: "exploited"`,
		"https://www.spamhaus.org/pbl/ policy block list":   `policy: "pbl"`,
		"Listed for sending spam to our spam traps":         "spam source",
		"127.0.0.2 listed because of backscatter (bounces)": "backscatter",
	} {
		e := received(Weigh(Evidence{Listings: []Listing{bracketed(txt, listed)}, Received: storyReport(3)}))
		wantVerdict(t, e, Partial, "its reason text points elsewhere ("+class)
	}
}

// Issue 12: a policy-style listing whose only linked probe came two days
// after the listing began.
func TestReceivedCalloutsOnlyLinkedProbeAfterStart(t *testing.T) {
	rep := storyReport(1)
	start := t0.Add(-2 * 24 * time.Hour) // probes came two days after the listing began
	e := received(Weigh(Evidence{Listings: []Listing{bracketed("listed", start)}, Received: rep}))
	wantVerdict(t, e, Partial, "none of the callouts linked to forged senders came in the 3 d before it (2 after it began)")
}

// A forged use more than the link window before a probe does not link
// it: the "links have no time window".
func TestLinkWindow(t *testing.T) {
	rep := storyReport(1)
	for i := range rep.Campaign.ForgedSenders {
		f := &rep.Campaign.ForgedSenders[i]
		f.FirstSeen, f.LastSeen = t0.Add(-3*24*time.Hour), t0.Add(-3*24*time.Hour)
	}
	l := link(rep, evidence.DefaultLinkWindow)
	if l.linkedProbes != 0 {
		t.Errorf("linked %d probes to forged uses three days older", l.linkedProbes)
	}
	if l = link(rep, 5*24*time.Hour); l.linkedProbes != 2 {
		t.Errorf("a 5-day window links %d probes, want 2", l.linkedProbes)
	}
	e := received(Weigh(Evidence{Listings: []Listing{bracketed(dictionaryTXT, listed)}, Received: rep}))
	wantVerdict(t, e, Partial, "none of them asked about an address forged in the 1 d before the probe")
}

func TestNoLogsIsUnknown(t *testing.T) {
	es := Weigh(Evidence{Listings: []Listing{bracketed(dictionaryTXT, listed)}})
	for _, e := range es {
		if e.Verdict != Unknown {
			t.Errorf("%s: %s with nothing read: %s", e.Name, e.Verdict, e.Summary)
		}
	}
}

// Without the history's clean run, Run leaves the start first-seen and
// the verdict partial; with it, bracketed and supported.
func TestRunBracketsStartFromHistory(t *testing.T) {
	for _, tc := range []struct {
		h    History
		kind string
		want string
	}{
		{fixedHistory{"203.0.113.25|callbackrl": listed}, SinceBracketed, Supported},
		{firstSeenHistory{"203.0.113.25|callbackrl": listed}, SinceFirstSeen, Partial},
		{nil, "", Partial},
	} {
		inv := &Investigator{Checker: fixedChecker(storyResults()), History: tc.h, Scanner: &fixedScanner{rep: storyReport(3)},
			Now: func() time.Time { return now }}
		c, err := inv.Run(context.Background(), Request{Subject: "203.0.113.25"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Listings[0].SinceKind != tc.kind || c.Hypothesis.Verdict != tc.want || c.Explanations[0].Name != ExplainReceivedCallouts && tc.want == Supported {
			t.Errorf("history %T: since kind %q, verdict %s, first explanation %s", tc.h, c.Listings[0].SinceKind, c.Hypothesis.Verdict, c.Explanations[0].Name)
		}
		if len(c.Explanations) != 5 {
			t.Errorf("%d explanations", len(c.Explanations))
		}
	}
}

var _ = dnsbl.Listed

// outboundOf scans lines written in real MTA shapes.
func outboundOf(t *testing.T, files ...string) *outbound.Report {
	t.Helper()
	rep, err := outbound.Scan(context.Background(), outbound.Options{Files: files, YearReference: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func byName(es []Explanation, name string) Explanation {
	for _, e := range es {
		if e.Name == name {
			return e
		}
	}
	return Explanation{}
}

// The real Postfix reject_unverified_sender MX of ../evidence/testdata/mta
// sent 5 callouts on 2026-11-27 06:28–06:29 UTC; a list that began listing
// it at 07:00 with a dictionary-attack reason is explained by its own
// callouts, once a clean run brackets the start.
func TestOwnCalloutsOnRealPostfixProber(t *testing.T) {
	ob := outboundOf(t, "../evidence/testdata/mta/postfix-prober.log")
	start := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	ls := bracketed(dictionaryTXT, start)
	ls.Target = "127.0.0.26"
	es := Weigh(Evidence{Listings: []Listing{ls}, Received: evidence.Report{Stats: evidence.Stats{Lines: 59}}, Outbound: ob})
	if es[0].Name != ExplainOwnCallouts {
		t.Errorf("best explanation %s, want own-callouts", es[0].Name)
	}
	wantVerdict(t, byName(es, ExplainOwnCallouts), Supported, "This MX itself verified addresses at other hosts with callouts (5 probes, 4 refused)")
	if f := byName(es, ExplainOwnCallouts).Facts; len(f) == 0 || len(f[0].Lines) != 5 {
		t.Errorf("facts %+v, want one with the 5 probe lines", f)
	}
	wantVerdict(t, byName(es, ExplainOwnBackscatter), NotSupported)
	wantVerdict(t, byName(es, ExplainOutboundSpam), NotSupported)
	// Without a listing, the same probes are only partial.
	wantVerdict(t, byName(Weigh(Evidence{Outbound: ob}), ExplainOwnCallouts), Partial, "o list lists the subject now")
}

// Inbound-only logs (spamd in front) say nothing about what the MX sent.
func TestOutboundUnknownWithoutDeliveries(t *testing.T) {
	ob := &outbound.Report{Read: true, Lines: 420}
	for _, name := range []string{ExplainOwnCallouts, ExplainOwnBackscatter, ExplainOutboundSpam} {
		wantVerdict(t, byName(Weigh(Evidence{Outbound: ob}), name), Unknown, "hold no delivery by this MX at all")
	}
}

// burstLog writes Postfix lines (smtpd sasl_username=, qmgr from=, smtp
// status=) for an account that sends 2 messages a day for three days,
// then 30 on the fourth, 12 of them refused; and a colleague who sends 2
// a day throughout.
func burstLog(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	qid := 0x3C4D5E0000
	send := func(at time.Time, user, to string, refused bool) {
		qid += 0x1F3
		q := fmt.Sprintf("%X", qid)
		stamp := at.Format(time.Stamp)
		fmt.Fprintf(&b, "%s mx postfix/smtpd[200]: %s: client=ws10.example.com[203.0.113.10], sasl_method=PLAIN, sasl_username=%s\n", stamp, q, user)
		fmt.Fprintf(&b, "%s mx postfix/qmgr[102]: %s: from=<%s@example.com>, size=1200, nrcpt=1 (queue active)\n", stamp, q, user)
		if refused {
			fmt.Fprintf(&b, "%s mx postfix/smtp[105]: %s: to=<%s>, relay=mx.example.org[192.0.2.90]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=5.7.1, status=bounced (host mx.example.org[192.0.2.90] said: 554 5.7.1 Message rejected as spam (in reply to end of DATA command))\n", stamp, q, to)
		} else {
			fmt.Fprintf(&b, "%s mx postfix/smtp[105]: %s: to=<%s>, relay=mx.example.org[192.0.2.90]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4ABC)\n", stamp, q, to)
		}
	}
	day0 := time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)
	for d := 0; d < 4; d++ {
		for i := 0; i < 2; i++ {
			at := day0.Add(time.Duration(d)*24*time.Hour + time.Duration(i)*time.Hour)
			send(at, "carol", fmt.Sprintf("friend%d@example.org", i), false)
			send(at.Add(time.Minute), "dave", fmt.Sprintf("pal%d@example.org", i), false)
		}
	}
	burst := day0.Add(3*24*time.Hour + 3*time.Hour)
	for i := 0; i < 28; i++ {
		send(burst.Add(time.Duration(i)*time.Minute), "carol", fmt.Sprintf("x%d@example.org", i), i%7 < 3)
	}
	p := filepath.Join(t.TempDir(), "maillog")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOutboundSpamBurst(t *testing.T) {
	ob := outboundOf(t, burstLog(t))
	start := time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC) // after carol's burst at 12:00–12:27
	ls := bracketed("Listed for sending spam to our spam traps", start)
	es := Weigh(Evidence{Listings: []Listing{ls}, Received: evidence.Report{Stats: evidence.Stats{Lines: 1}}, Outbound: ob})
	e := byName(es, ExplainOutboundSpam)
	wantVerdict(t, e, Supported, "the authenticated user carol, 30 on 2026-11-20 against a usual 2")
	if es[0].Name != ExplainOutboundSpam {
		t.Errorf("best explanation %s", es[0].Name)
	}
	if len(e.Facts) != 1 || len(e.Facts[0].Lines) == 0 {
		t.Errorf("facts %+v", e.Facts)
	}
	// A spam-trap reason is no callout: received callouts cannot explain it.
	wantVerdict(t, byName(es, ExplainReceivedCallouts), NotSupported)
	// Before the burst, the same listing has nothing to rest on.
	early := bracketed("Listed for sending spam to our spam traps", time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC))
	wantVerdict(t, byName(Weigh(Evidence{Listings: []Listing{early}, Outbound: ob}), ExplainOutboundSpam), Partial, "only 6 of the deliveries of the sender whose volume jumped came in the 3 d before it, too few")
	// A policy listing (PBL) is not explained by any of it.
	pbl := bracketed("https://www.spamhaus.org/query/ip/203.0.113.25 PBL: policy", start)
	wantVerdict(t, byName(Weigh(Evidence{Listings: []Listing{pbl}, Outbound: ob}), ExplainOutboundSpam), Partial, "points elsewhere (policy")
}

// Logs that begin after the listing began cannot show its cause: unknown,
// for the received side and the outbound side alike.
func TestLogsAfterTheStartAreUnknown(t *testing.T) {
	rep := storyReport(3)
	rep.Span.First = listed.Add(time.Hour)
	e := received(Weigh(Evidence{Listings: []Listing{bracketed(dictionaryTXT, listed)}, Received: rep}))
	wantVerdict(t, e, Unknown, "after the listing began")
	ob := outboundOf(t, "../evidence/testdata/mta/postfix-prober.log") // 2026-11-27 06:28–06:29
	early := bracketed(dictionaryTXT, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	wantVerdict(t, byName(Weigh(Evidence{Listings: []Listing{early}, Outbound: ob}), ExplainOwnCallouts), Unknown,
		"the first outbound line read is from 2026-11-27 06:28:30 UTC, after the listing began")
}

// open-relay: an outside client's unauthenticated mail delivered to
// another host before the listing; unknown without own networks.
func TestOpenRelay(t *testing.T) {
	log := filepath.Join(t.TempDir(), "maillog")
	os.WriteFile(log, []byte(`Nov 20 10:00:00 mx postfix/smtpd[500]: 7A8B9C0D1E: client=unknown[198.51.100.9]
Nov 20 10:00:00 mx postfix/qmgr[102]: 7A8B9C0D1E: from=<win@lottery.example>, size=900, nrcpt=1 (queue active)
Nov 20 10:00:01 mx postfix/smtp[105]: 7A8B9C0D1E: to=<victim@example.org>, relay=mx.example.org[192.0.2.90]:25, delay=0.5, delays=0/0/0.3/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 5DEF)
`), 0o600)
	scan := func(own []netip.Prefix) *outbound.Report {
		rep, err := outbound.Scan(context.Background(), outbound.Options{Files: []string{log}, OwnNetworks: own,
			YearReference: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	ls := bracketed("Listed as an open relay", listed)
	ob := scan([]netip.Prefix{netip.MustParsePrefix("203.0.113.0/28")})
	wantVerdict(t, byName(Weigh(Evidence{Listings: []Listing{ls}, Outbound: ob}), ExplainOpenRelay), Supported,
		"relayed mail from outside clients that did not authenticate to other hosts: 1 delivery", `its reason text says "open relay"`)
	wantVerdict(t, byName(Weigh(Evidence{Listings: []Listing{ls}, Outbound: scan(nil)}), ExplainOpenRelay), Unknown, "own networks are not configured")
}
