package whoisctx

import (
	"context"
	"net/netip"
	"strings"
)

// abusixZone answers TXT "<reversed ip>.abuse-contacts.abusix.zone" with
// comma-separated abuse addresses (https://abusix.com/contactdb/).
const abusixZone = "abuse-contacts.abusix.zone"

// abuseNetZone answers TXT "<domain>.contacts.abuse.net"; its terms allow
// automated use for the IP owner or a validated reverse name only.
const abuseNetZone = "contacts.abuse.net"

// ParseAddressList splits TXT strings holding addresses separated by commas,
// semicolons or spaces, and keeps the valid, non-placeholder ones in order,
// without duplicates.
func ParseAddressList(txts []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range txts {
		for _, f := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			a, err := cleanAddress(f)
			if err != nil || isPlaceholder(a) || seen[strings.ToLower(a)] {
				continue
			}
			seen[strings.ToLower(a)] = true
			out = append(out, a)
		}
	}
	return out
}

// lookupAbusix returns Abusix's addresses for addr, as network contacts.
func lookupAbusix(ctx context.Context, d dnsLookup, addr netip.Addr) ([]Contact, RawAnswer, error) {
	name := reversedName(addr) + "." + abusixZone
	return txtContacts(ctx, d, name, SourceAbusix, RoleNetwork, confAbusix)
}

// lookupAbuseNet returns abuse.net's addresses for domain. For domains it
// knows nothing about, abuse.net answers its own guess, abuse@DOMAIN,
// marked "(default, no info)": that is the RFC 2142 guess, not a
// directory entry, and is labelled as such.
func lookupAbuseNet(ctx context.Context, d dnsLookup, domain string) ([]Contact, RawAnswer, error) {
	cs, raw, err := txtContacts(ctx, d, domain+"."+abuseNetZone, SourceAbuseNet, RoleDomain, confAbuseNet)
	if IsAbuseNetDefault(raw.Text) {
		for i := range cs {
			cs[i].Confidence, cs[i].NeedsReview = confGuess, true
			cs[i].Note = "abuse.net has no entry: its default guess (RFC 2142 mailbox)"
		}
	}
	return cs, raw, err
}

// IsAbuseNetDefault reports whether an abuse.net answer is its default
// guess rather than a registered contact.
func IsAbuseNetDefault(text string) bool {
	t := strings.ToLower(text)
	return strings.Contains(t, "(default") || strings.Contains(t, "no info")
}

func txtContacts(ctx context.Context, d dnsLookup, name, source string, role Role, conf float64) ([]Contact, RawAnswer, error) {
	raw := RawAnswer{Source: source, Server: "dns", Query: name}
	txts, err := d.TXT(ctx, name)
	raw.Text = strings.Join(txts, "\n")
	if err != nil {
		raw.Error = err.Error()
		return nil, raw, err
	}
	var out []Contact
	for i, a := range ParseAddressList(txts) {
		out = append(out, Contact{
			Address: a, Role: role, Source: source, Server: "dns " + name,
			Confidence: conf - 0.02*float64(min(i, 5)), Field: "TXT", Raw: raw.Text,
		})
	}
	return out, raw, nil
}
