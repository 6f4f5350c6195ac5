package whoisctx

import (
	"testing"

	"github.com/openrdap/rdap"
)

// A network without any abuse contact falls back to its irt's e-mail,
// then its technical contacts, each marked needs review with its source.
func TestWhoisFallbacks(t *testing.T) {
	for _, tc := range []struct {
		name, text, want, field string
	}{
		{"irt e-mail", `inetnum:        192.0.2.0 - 192.0.2.255
netname:        EXAMPLE-NET
mnt-irt:        IRT-EXAMPLE
tech-c:         EX1-AP

irt:            IRT-EXAMPLE
address:        Example Street 1
e-mail:         cert@irt.example.net
admin-c:        EX1-AP
tech-c:         EX1-AP
auth:           # Filtered

person:         Example Person
nic-hdl:        EX1-AP
e-mail:         noc@tech.example.net
`, "cert@irt.example.net", "irt e-mail"},
		{"OrgTechEmail", `NetRange:       198.51.100.0 - 198.51.100.255
CIDR:           198.51.100.0/24
NetName:        EXAMPLE-1
OrgTechHandle:  NOC123-ARIN
OrgTechName:    Network Operations
OrgTechEmail:   noc@isp.example.com
`, "noc@isp.example.com", "OrgTechEmail"},
		{"tech-c", `inetnum:     200.3.12.0/22
status:      assigned
tech-c:      TEC2

nic-hdl:     TEC2
person:      Tech Person
e-mail:      tech@net.example.ar
`, "tech@net.example.ar", "tech-c TEC2 e-mail"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fd := ParseWhois(tc.text)
			if len(fd.Found) == 0 {
				t.Fatalf("nothing found")
			}
			w := fd.Found[0]
			if w.Address != tc.want || w.Field != tc.field || !w.NeedsReview || !w.Fallback {
				t.Errorf("found %+v, want %s from %s marked needs review and fallback", w, tc.want, tc.field)
			}
			c := w.contact(RawAnswer{Server: "whois.example"})
			if !c.NeedsReview || c.Note == "" {
				t.Errorf("contact %+v lacks its review mark or note", c)
			}
		})
	}
}

// With an abuse contact, no fallback is offered.
func TestWhoisNoFallbackWithAbuse(t *testing.T) {
	fd := ParseWhois(`NetRange:       198.51.100.0 - 198.51.100.255
OrgAbuseEmail:  abuse@isp.example.com
OrgTechEmail:   noc@isp.example.com
`)
	if len(fd.Found) != 1 || fd.Found[0].Address != "abuse@isp.example.com" {
		t.Errorf("found %+v, want only the abuse address", fd.Found)
	}
}

func TestRDAPTechFallback(t *testing.T) {
	body := `{"objectClassName":"ip network","startAddress":"192.0.2.0","endAddress":"192.0.2.255",
	 "entities":[{"objectClassName":"entity","handle":"TECH1","roles":["technical"],
	  "vcardArray":["vcard",[["version",{},"text","4.0"],["email",{},"text","noc@net.example.org"]]]}]}`
	obj, err := rdap.NewDecoder([]byte(body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	n, ok := obj.(*rdap.IPNetwork)
	if !ok {
		t.Fatalf("decoded %T", obj)
	}
	f := &Finder{}
	ans := &networkAnswer{}
	f.applyIPNetwork(mustAddr("192.0.2.1"), n, RawAnswer{Server: "rdap.example"}, ans)
	if len(ans.Contacts) != 1 || !ans.Contacts[0].NeedsReview || ans.Contacts[0].Field != "entity TECH1 role technical" {
		t.Errorf("contacts %+v, want the technical e-mail marked needs review", ans.Contacts)
	}
}
