package templates

import (
	"strings"
	"testing"
	"time"
)

// A callback notice names our MX, the registry's prefix for the prober
// (not a /24 made up from its address), the zone of the quoted stamps,
// and says "no mail from us to your host" only when our outbound logs
// were read and show none.
func TestCallbackNoticeClaimsOnlyWhatIsKnown(t *testing.T) {
	d := sampleData(t)
	r, err := Default().Render(CallbackNotice, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, never := range []string{"no mail", "sent your host no", "192.0.2.0/24"} {
		if strings.Contains(r.Body, never) {
			t.Errorf("without outbound logs or a registry record the notice says %q", never)
		}
	}
	d.OurIPs = []string{"198.51.100.25"}
	d.LogZone = "UTC"
	d.Networks = map[string]Network{"192.0.2.74": {Prefix: "192.0.2.0/25", Registry: "arin", NetName: "FILTER-NET"}}
	since := time.Date(2017, 8, 16, 0, 0, 0, 0, time.UTC)
	d.Outbound = &Outbound{SentTo: []string{"203.0.113.9"}, Since: since, Until: since.Add(96 * time.Hour), Deliveries: 40}
	r, err = Default().Render(CallbackNotice, d)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Join(strings.Fields(r.Body), " ")
	for _, want := range []string{
		"Our mail exchangers for example.org (among them 198.51.100.25) were contacted by",
		"Network: 192.0.2.0/25 (FILTER-NET), as registered at arin",
		"show no mail from our mail exchanger to 192.0.2.74",
		"show that our mail exchanger did send mail to 203.0.113.9",
		"time stamps in the lines that carry no zone of their own are in UTC",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("notice lacks %q:\n%s", want, r.Body)
		}
	}
}
