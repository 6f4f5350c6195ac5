package whoisctx

import (
	"slices"
	"strings"
)

// finish ranks the contacts, merges duplicates (two sources agreeing on an
// address raise its confidence) and adds the RFC 2142 guess only when
// nothing else was found.
func finish(res *Result) {
	res.Contacts = Rank(res.Contacts)
	if len(res.Contacts) == 0 && res.Domain != "" && res.Local == "" {
		res.Contacts = append(res.Contacts, Contact{
			Address: "abuse@" + res.Domain, Role: RoleDomain, Source: SourceRFC2142,
			Confidence: confGuess, NeedsReview: true, Field: "RFC 2142 §2",
			Note: "last resort: the RFC 2142 mailbox, not confirmed by any registry",
		})
	}
	if res.Contacts == nil {
		res.Contacts = []Contact{}
	}
}

// Rank is the one order of abuse contacts, used by the whois output, by
// notify to choose the recipient and by investigate for the case: the
// first contact is the one a notice goes to. It merges contacts with the
// same address and role (two sources agreeing add confidence) and sorts:
//
//  1. contacts that need no review before those that do: a notice must
//     not go to weak evidence (a remarks line, an irt or tech fallback, the
//     RFC 2142 guess) while a registry's abuse contact is at hand;
//  2. role: network, then domain, then registrar (the network's desk can
//     stop the host);
//  3. confidence, highest first;
//  4. address, for a stable order.
//
// The input is not modified.
func Rank(cs []Contact) []Contact {
	var out []Contact
	index := map[string]int{}
	for _, c := range cs {
		k := string(c.Role) + "\x00" + strings.ToLower(c.Address)
		i, dup := index[k]
		if !dup {
			index[k] = len(out)
			out = append(out, c)
			continue
		}
		out[i] = merge(out[i], c)
	}
	slices.SortStableFunc(out, compareContacts)
	return out
}

func compareContacts(a, b Contact) int {
	switch {
	case a.NeedsReview != b.NeedsReview:
		if a.NeedsReview {
			return 1
		}
		return -1
	case roleOrder(a.Role) != roleOrder(b.Role):
		return roleOrder(a.Role) - roleOrder(b.Role)
	case a.Confidence != b.Confidence:
		if a.Confidence > b.Confidence {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Address, b.Address)
}

// merge keeps the stronger of two findings of one address and notes the
// other source; independent sources agreeing add a small bonus.
func merge(a, b Contact) Contact {
	if b.Confidence > a.Confidence || (a.NeedsReview && !b.NeedsReview) {
		a, b = b, a
	}
	if a.Source != b.Source && !strings.Contains(a.Note, "confirmed by "+b.Source) {
		a.Confidence = min(1, a.Confidence+confAgreeBonus)
		a.Note = strings.TrimPrefix(a.Note+"; confirmed by "+b.Source, "; ")
	}
	a.NeedsReview = a.NeedsReview && b.NeedsReview
	return a
}
