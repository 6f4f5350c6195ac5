package notify

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

func TestIPv6ProberAndLongHelo(t *testing.T) {
	in := testInput(t)
	p := &in.Report.Probers[1]
	old := p.IP
	p.IP = "2001:db8:1:2::25"
	for i := range p.Events {
		p.Events[i].IP = p.IP
	}
	p.HeloNames = []string{strings.Repeat("x", 5000) + ".example"}
	in.Contacts[p.IP] = in.Contacts[old]
	delete(in.Contacts, old)
	in.Contacts["198.51.100.7"] = []whoisctx.Contact{{Address: "abuse@[192.0.2.1]"}} // odd but valid
	opts := testOptions(t)
	notices, err := Render(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	n := notices[1]
	if n.FileName(1) != "02-callback-notice-abuse@isp.example.eml" || utf8.RuneCountInString(n.Subject) > maxSubject {
		t.Errorf("file %s, subject %d runes", n.FileName(1), utf8.RuneCountInString(n.Subject))
	}
	eml, err := n.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(eml, []byte("\r\n")) {
		if len(line) > 998 {
			t.Fatalf("line of %d octets", len(line))
		}
	}
	if !bytes.Contains(eml, []byte("Host 2001:db8:1:2::25\r\n")) {
		t.Errorf("the IPv6 prober is not named in the notice")
	}
	if !strings.Contains(notices[2].FileName(2), "abuse@_192.0.2.1_") {
		t.Errorf("file name %s", notices[2].FileName(2))
	}
}
