package investigate

import (
	"strings"
	"testing"
	"time"
)

func TestRunStory(t *testing.T) {
	c, sc := storyCase(12)
	if got, want := sc.since, listed.Add(-DefaultLookback); !got.Equal(want) {
		t.Errorf("scan since = %v, want %v (3 days before the listing start)", got, want)
	}
	if !sc.until.Equal(now) || c.Window.Source != "listing-start" {
		t.Errorf("window = %+v", c.Window)
	}
	if len(c.Listings) != 1 || c.Listings[0].Since == nil || !c.Listings[0].Since.Equal(listed) {
		t.Fatalf("listings = %+v", c.Listings)
	}
	if got := c.Listings[0].CalloutWords; len(got) == 0 || got[0] != "dictionary attacks" {
		t.Errorf("callout words = %q", got)
	}
	h := c.Hypothesis
	if h.Verdict != Supported {
		t.Fatalf("verdict = %s: %s", h.Verdict, h.Summary)
	}
	for _, want := range []string{
		"Spam forging addresses in example.com began at 2026-11-20 12:49:25 UTC",
		"from T0+41 s, 24 probes from 12 hosts asked about forged addresses within 1 d of a forged use.",
		"The listing by callbackrl began at 2026-11-20 15:49:25 UTC (a run at 2026-11-20 09:49:25 UTC saw the subject clean), after 24 of the callouts",
		`its reason text says "dictionary attacks"`,
	} {
		if !strings.Contains(h.Summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, h.Summary)
		}
	}
	if len(c.Contacts) != 12 || c.Contacts[11].Error == "" {
		t.Errorf("contacts: %d, last %+v", len(c.Contacts), c.Contacts[len(c.Contacts)-1])
	}
}

func TestExplainNoCallouts(t *testing.T) {
	rep := storyReport(0)
	h := Explain(nil, rep)
	if h.Verdict != NotSupported || !strings.Contains(h.Summary, "does not support a callback explanation") {
		t.Errorf("%s: %s", h.Verdict, h.Summary)
	}
}

func TestExplainListingBeforeProbes(t *testing.T) {
	early, clean := t0.Add(-time.Hour), t0.Add(-7*time.Hour)
	h := Explain([]Listing{{List: "l", Since: &early, SinceKind: SinceBracketed, CleanBefore: &clean}}, storyReport(2))
	if h.Verdict != Partial || !strings.Contains(h.Summary, "none of the callouts linked to forged senders came in the 3 d before it (4 after it began)") {
		t.Errorf("%s: %s", h.Verdict, h.Summary)
	}
}

func TestExplainNoForgery(t *testing.T) {
	rep := storyReport(2)
	rep.Campaign.ForgedSenders = nil
	h := Explain(nil, rep)
	if h.Verdict != Partial || !strings.Contains(h.Summary, "no spam forging") {
		t.Errorf("%s: %s", h.Verdict, h.Summary)
	}
}

func TestDelta(t *testing.T) {
	for d, want := range map[time.Duration]string{
		41 * time.Second: "41 s", 3*time.Minute + 12*time.Second: "3 min 12 s", 2 * time.Hour: "2 h",
		2*time.Hour + 5*time.Minute: "2 h 5 min", 76 * time.Hour: "3 d 4 h", -90 * time.Second: "-1 min 30 s",
	} {
		if got := delta(d); got != want {
			t.Errorf("delta(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestCalloutWords(t *testing.T) {
	got := CalloutWords("listed as a source of Dictionary Attacks; see also dictionary attacks", "DHA\x1b[31m source")
	if strings.Join(got, "|") != "Dictionary Attacks|DHA" {
		t.Errorf("got %q", got)
	}
}
