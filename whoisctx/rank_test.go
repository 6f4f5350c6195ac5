package whoisctx

import (
	"slices"
	"testing"
)

// The case: a network address seen only in remarks (needs review)
// and a domain desk from abuse.net. The contact that needs no review comes
// first everywhere; the remarks address stays listed, after it.
func TestRankReviewedBeforeNeedsReview(t *testing.T) {
	in := []Contact{
		{Address: "noc@hoster.example", Role: RoleNetwork, Source: SourceWhois, Field: "remarks", Confidence: confRemarks, NeedsReview: true},
		{Address: "abuse@hoster.example", Role: RoleDomain, Source: SourceAbuseNet, Confidence: confAbuseNet},
	}
	got := addresses(Rank(in))
	if want := []string{"abuse@hoster.example", "noc@hoster.example"}; !slices.Equal(got, want) {
		t.Errorf("Rank = %v, want %v", got, want)
	}
}

func TestRankOrder(t *testing.T) {
	in := []Contact{
		{Address: "guess@d.example", Role: RoleDomain, Source: SourceRFC2142, Confidence: confGuess, NeedsReview: true},
		{Address: "irt@net.example", Role: RoleNetwork, Source: SourceWhois, Field: "irt e-mail", Confidence: confIrtFallback, NeedsReview: true},
		{Address: "registrar@r.example", Role: RoleRegistrar, Source: SourceRDAP, Confidence: confRegistrar},
		{Address: "abuse@d.example", Role: RoleDomain, Source: SourceAbuseNet, Confidence: confAbuseNet},
		{Address: "abusix@net.example", Role: RoleNetwork, Source: SourceAbusix, Confidence: confAbusix},
		{Address: "abuse@net.example", Role: RoleNetwork, Source: SourceRDAP, Confidence: confRDAPAbuse},
		{Address: "ABUSE@net.example", Role: RoleNetwork, Source: SourceAbusix, Confidence: confAbusix},
	}
	orig := slices.Clone(in)
	got := Rank(in)
	want := []string{"abuse@net.example", "abusix@net.example", "abuse@d.example", "registrar@r.example", "irt@net.example", "guess@d.example"}
	if !slices.Equal(addresses(got), want) {
		t.Fatalf("Rank = %v, want %v", addresses(got), want)
	}
	if got[0].Confidence <= confRDAPAbuse || got[0].Note != "confirmed by abusix" {
		t.Errorf("agreeing sources not merged: %+v", got[0])
	}
	if !slices.Equal(in, orig) {
		t.Error("Rank modified its input")
	}
}
