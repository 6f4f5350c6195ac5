package whoisctx

import (
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

func TestParseWhoisFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, first, field  string
		stub, noAbuse, rate bool
		netName             string
	}{
		{file: "ripe.txt", first: "protect@bt.com", field: "% Abuse contact for", netName: "BT-CORPORATE"},
		{file: "ripe-v6.txt", first: "protect@bt.com", field: "% Abuse contact for", netName: "BT-WORLD-IPVSIX-LAUNCH"},
		{file: "arin.txt", first: "internet.abuse@sjrb.ca", field: "OrgAbuseEmail", netName: "SHAW-COMM"},
		{file: "arin-google.txt", first: "arin-contact@google.com", field: "OrgAbuseEmail", netName: "GOOGLE"},
		{file: "apnic.txt", first: "abuse@starhub.com", field: "% Abuse contact for", netName: "STARHUBINTERNET-SG"},
		{file: "apnic-stub.txt", stub: true, netName: "STUB-43-224SLASH11"},
		{file: "lacnic.txt", first: "operacion.redes@triara.com", field: "abuse-c RYT2 e-mail"},
		{file: "registrobr.txt", first: "noc@coopercitrus.com.br", field: "abuse-c CCPRU1 e-mail"},
		{file: "afrinic.txt", first: "abuse@mtnbusiness.co.za", field: "remarks", noAbuse: true, netName: "NET-196-11-239-0"},
		{file: "registrar.txt", first: "abusecomplaints@markmonitor.com", field: "Registrar Abuse Contact Email"},
		{file: "ripe-denied.txt", rate: true},
		{file: "arin-header-only.txt", rate: true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			fd := ParseWhois(toUTF8(whoistest.File(tc.file)))
			var first, field string
			if len(fd.Found) > 0 {
				first, field = fd.Found[0].Address, fd.Found[0].Field
			}
			if first != tc.first || field != tc.field {
				t.Errorf("first = %q (%s), want %q (%s); all %+v", first, field, tc.first, tc.field, fd.Found)
			}
			if fd.Stub != tc.stub || fd.NoAbuse != tc.noAbuse || fd.RateLimited != tc.rate {
				t.Errorf("stub/noAbuse/rate = %v/%v/%v, want %v/%v/%v", fd.Stub, fd.NoAbuse, fd.RateLimited, tc.stub, tc.noAbuse, tc.rate)
			}
			if tc.netName != "" && fd.NetName != tc.netName {
				t.Errorf("netname = %q, want %q", fd.NetName, tc.netName)
			}
		})
	}
}

// The remarks address in the RIPE answer is kept, but ranked last and
// marked for review.
func TestParseWhoisRemarksRanked(t *testing.T) {
	fd := ParseWhois(whoistest.File("ripe.txt"))
	last := fd.Found[len(fd.Found)-1]
	if last.Address != "btcertcc@bt.com" || !last.NeedsReview {
		t.Errorf("last = %+v, want btcertcc@bt.com needing review", last)
	}
	if fd.First.String() != "62.239.237.0" || fd.Last.String() != "62.239.237.255" {
		t.Errorf("range %s - %s", fd.First, fd.Last)
	}
}

func TestParseWhoisTransferredStub(t *testing.T) {
	fd := ParseWhois(whoistest.File("apnic-stub.txt"))
	if !fd.Stub || fd.TransferredTo != "arin" {
		t.Errorf("stub %v transferred to %q", fd.Stub, fd.TransferredTo)
	}
	f := &Finder{}
	if got := f.transferTarget(fd, "apnic"); got != "arin" {
		t.Errorf("transferTarget = %q, want arin", got)
	}
	if got := f.transferTarget(fd, "arin"); got != "" {
		t.Errorf("asked ARIN already, transferTarget = %q", got)
	}
	f.cfg.WhoisServer = "127.0.0.1:4343"
	if got := f.transferTarget(fd, "apnic"); got != "" {
		t.Errorf("with a named server, transferTarget = %q", got)
	}
}

func TestParseWhoisReferralRecordedNotTrusted(t *testing.T) {
	fd := ParseWhois(whoistest.File("arin.txt"))
	if fd.Referral != "rwhois://rwhois.shawcable.net:4321" {
		t.Errorf("referral = %q", fd.Referral)
	}
	fd = ParseWhois(whoistest.File("inject.txt"))
	if fd.Referral != "" {
		t.Errorf("a remarks line became a referral: %q", fd.Referral)
	}
}

func TestCleanAddress(t *testing.T) {
	good := map[string]string{
		"abuse@Example.NET":    "abuse@example.net",
		"<abuse@example.net>":  "abuse@example.net",
		"'abuse@example.net'":  "abuse@example.net",
		"abuse+ip@example.net": "abuse+ip@example.net",
	}
	for in, want := range good {
		if got, err := cleanAddress(in); err != nil || got != want {
			t.Errorf("cleanAddress(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{
		"", "abuse", "abuse@", "@example.net", "abuse@localhost", "abuse@example.net\r\nBcc: x@y.z",
		"abuse@example.net\nx", "Evil <abuse@example.net>", "a@example.net, b@example.net",
		"abuse@exa mple.net", "abuse@example.net\x1b[2J", "abüse@example.net", "abuse@-bad-.net",
		"DATA REDACTED", "abuse@example..net", strings.Repeat("a", 250) + "@example.net",
	} {
		if got, err := cleanAddress(bad); err == nil {
			t.Errorf("cleanAddress(%q) = %q, want an error", bad, got)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for _, p := range []string{"no-email@apnic.net", "removed@lacnic.net", "abuse@ripe.net", "ABUSE@LACNIC.NET", "redacted@privacy.example.com"} {
		if !isPlaceholder(p) {
			t.Errorf("%s not a placeholder", p)
		}
	}
	if isPlaceholder("abuse@bt.com") {
		t.Error("real address taken as placeholder")
	}
}

func TestParseCymru(t *testing.T) {
	o, err := ParseCymruOrigin("15169 | 74.125.225.0/24 | US | arin | 2007-03-13")
	if err != nil || o.ASN != 15169 || o.Prefix.String() != "74.125.225.0/24" || o.Country != "US" || o.Registry != "arin" {
		t.Errorf("origin = %+v, %v", o, err)
	}
	o, err = ParseCymruOrigin("23456 64512 | 2a00:1450::/32 | IE | RIPENCC |")
	if err != nil || o.ASN != 23456 || o.Registry != "ripencc" {
		t.Errorf("multi-origin = %+v, %v", o, err)
	}
	for _, bad := range []string{"", "15169", "x | 1.2.3.0/24 | US | arin", "1 | 1.2.3.4 | US | arin", "1 | 1.2.3.0/24 | US | iana"} {
		if _, err := ParseCymruOrigin(bad); err == nil {
			t.Errorf("ParseCymruOrigin(%q): no error", bad)
		}
	}
	name, err := ParseCymruASName("15169 | US | arin | 2000-03-30 | GOOGLE - Google LLC, US")
	if err != nil || name != "GOOGLE - Google LLC, US" {
		t.Errorf("AS name = %q, %v", name, err)
	}
}

func TestParseAddressList(t *testing.T) {
	got := ParseAddressList([]string{"abuse@a.example.net,noc@a.example.net", "abuse@a.example.net; no-email@apnic.net bad@"})
	if strings.Join(got, " ") != "abuse@a.example.net noc@a.example.net" {
		t.Errorf("got %q", got)
	}
}

func TestToUTF8(t *testing.T) {
	if got := toUTF8("N\xfacleo"); got != "Núcleo" {
		t.Errorf("latin-1: %q", got)
	}
	if got := toUTF8("Núcleo \xe7"); got != "Núcleo ç" {
		t.Errorf("mixed: %q", got)
	}
}

// ARIN answers "n + ADDR" with every covering network, least specific
// first, each between "# start" and "# end"; the most specific network's
// abuse address wins. (Constructed with documentation addresses: no real
// multi-network answer with a known source was found; the real fixtures
// hold one network each.)
func TestParseWhoisARINMostSpecific(t *testing.T) {
	fd := ParseWhois(`# start

NetRange:       198.51.0.0 - 198.51.255.255
CIDR:           198.51.0.0/16
NetName:        CARRIER-BLK
NetType:        Direct Allocation
OrgAbuseEmail:  abuse@carrier.example

# end

# start

NetRange:       198.51.100.0 - 198.51.100.255
CIDR:           198.51.100.0/24
NetName:        CUSTOMER-NET
NetType:        Reassigned
RAbuseEmail:    abuse@customer.example
OrgAbuseEmail:  noc@customer.example

# end
`)
	got := []string{}
	for _, w := range fd.Found {
		got = append(got, w.Address)
	}
	if strings.Join(got, ",") != "abuse@customer.example,noc@customer.example" {
		t.Errorf("found %v, want the reassignment's addresses only", got)
	}
	if fd.NetName != "CUSTOMER-NET" || fd.First.String() != "198.51.100.0" {
		t.Errorf("netname %q range %s", fd.NetName, fd.First)
	}
}
