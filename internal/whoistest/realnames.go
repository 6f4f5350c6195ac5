package whoistest

import (
	"encoding/json"
	"slices"
	"strings"
)

// RealHolders are the companies behind the base answers of the variants,
// as the grep of a reviewer would look for them (lower case; compare with
// strings.ToLower).
var RealHolders = []string{"british", "newgate", "bt.com", "bt.net", "shaw", "sjrb", "rogers", "pattenden",
	"starhub", "popple"}

// identityKeys are the WHOIS attributes (RPSL and ARIN's) whose values name
// a holder, a person, an address or a number to call; a value continued on
// the next lines (RFC 2622 section 2) counts line by line.
var identityKeys = []string{"role", "person", "address", "phone", "fax-no", "org-name", "descr", "irt",
	"organisation", "nic-hdl", "mnt-by", "mnt-lower", "mnt-routes", "mnt-irt", "abuse-c", "admin-c", "tech-c",
	"origin", "OrgName", "Organization", "OrgId", "Address", "City", "PostalCode", "ReferralServer", "OriginAS",
	"OrgAbuseHandle", "OrgAbuseName", "OrgAbusePhone", "OrgTechHandle", "OrgTechName", "OrgTechPhone",
	"RTechHandle", "RTechName", "RTechPhone"}

// RealIdentities returns the identity strings of the base answers the
// Variants derive from (the bases of DocNetworks), read from the
// fixtures rather than from identities, so that a string the tables miss
// is caught: the values of identityKeys in the WHOIS text and the fn, org,
// tel and adr values of the RDAP vCards. Registry-wide values (APNIC's
// maintainers, its "+000000000" placeholder) and country codes are left
// out; they name no holder.
func RealIdentities() []string {
	var out []string
	for _, v := range DocNetworks {
		n := NetworkByName(v.Base)
		out = append(out, whoisIdentities(File(n.WHOIS))...)
		out = append(out, vcardIdentities(rdapBody(n.RDAP))...)
	}
	out = slices.DeleteFunc(out, func(s string) bool {
		return len(s) < 3 || strings.HasPrefix(s, "APNIC-") || strings.Trim(s, "+0") == ""
	})
	slices.Sort(out)
	return slices.Compact(out)
}

func whoisIdentities(text string) []string {
	var out []string
	inIdentity := false
	for line := range strings.Lines(text) {
		line = strings.TrimRight(line, "\r\n")
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "+") {
			if inIdentity {
				out = append(out, strings.TrimSpace(line))
			}
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		inIdentity = ok && slices.Contains(identityKeys, key)
		if inIdentity {
			out = append(out, strings.TrimSpace(value))
		}
	}
	return out
}

// vcardIdentities reads the vCards (RFC 7095 jCard) of every entity,
// however deep.
func vcardIdentities(body string) []string {
	if body == "" {
		return nil
	}
	var doc any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		panic("whoistest: " + err.Error())
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if card, ok := v["vcardArray"].([]any); ok && len(card) == 2 {
				props, _ := card[1].([]any)
				for _, p := range props {
					out = append(out, vcardValues(p)...)
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	return out
}

// vcardValues returns the text of an fn, org, tel or adr property: its
// value(s) and, for adr, the lines of its label parameter.
func vcardValues(p any) []string {
	prop, _ := p.([]any)
	if len(prop) < 4 {
		return nil
	}
	if name, _ := prop[0].(string); !slices.Contains([]string{"fn", "org", "tel", "adr"}, name) {
		return nil
	}
	var out []string
	if params, ok := prop[1].(map[string]any); ok {
		if label, ok := params["label"].(string); ok {
			out = append(out, strings.Split(label, "\n")...)
		}
	}
	for _, v := range prop[3:] {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case []any:
			for _, s := range v {
				if s, ok := s.(string); ok && s != "" {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// LeakedIdentities returns the real identity strings text contains: those
// of RealIdentities as they are, and the RealHolders in any case.
func LeakedIdentities(text string) []string {
	var leak []string
	for _, s := range RealIdentities() {
		if strings.Contains(text, s) {
			leak = append(leak, s)
		}
	}
	lower := strings.ToLower(text)
	for _, s := range RealHolders {
		if strings.Contains(lower, s) {
			leak = append(leak, s)
		}
	}
	return leak
}
