package investigate

import (
	"regexp"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Classes of listing reasons: what a list's TXT (or the documented
// meaning of its answer code) says the listed IP did.
const (
	classCallout     = "address probing"  // dictionary attack, harvesting, callouts
	classExploited   = "exploited host"   // botnet, malware, infection
	classPolicy      = "policy"           // PBL, dynamic or end-user ranges
	classSpam        = "spam source"      // sent spam, trap hits, snowshoe
	classBackscatter = "backscatter"      // bounces, NDRs to forged senders
	classRelay       = "open relay/proxy" // abused relay or proxy
)

// reasonClasses, in the order they are tested. Words are matched on whole
// words, case-insensitively; "bot" alone is too common in host names to
// count, "botnet" is not.
var reasonClasses = []struct {
	class string
	re    *regexp.Regexp
}{
	{classExploited, regexp.MustCompile(`(?i)\b(botnet|bots|exploit(ed|s)?|infect(ed|ion)|malware|trojan|virus|worm|compromised|hijacked|cbl|xbl)\b`)},
	{classPolicy, regexp.MustCompile(`(?i)\b(policy|pbl|dynamic|dial-?up|residential|end[- ]?user|dhcp|should not (be )?send(ing)? (mail|email) directly)\b`)},
	{classBackscatter, regexp.MustCompile(`(?i)\b(backscatter|back-scatter|bounces?|ndrs?|non-?delivery|misdirected)\b`)},
	{classRelay, regexp.MustCompile(`(?i)\b(open[ -]relay|open[ -]proxy|relay(ing)? abuse)\b`)},
	{classSpam, regexp.MustCompile(`(?i)\b(spam[ -]?sources?|source of spam|sen(t|ding|ds) spam|spam (was )?(sent|received|emitted)|spam[ -]?traps?|snowshoe|spammers?|spamming|unsolicited (bulk|commercial) (e-?mail|mail))\b`)},
	{classCallout, calloutWords},
}

// ReasonClasses are the classes the texts name, each once, in table
// order, with the first phrase that showed it.
func ReasonClasses(txt ...string) (classes, words []string) {
	for _, c := range reasonClasses {
		for _, t := range txt {
			if m := c.re.FindString(textsafe.Line(t)); m != "" {
				classes, words = append(classes, c.class), append(words, m)
				break
			}
		}
	}
	if len(classes) == 0 {
		for _, t := range txt {
			if dha.MatchString(t) {
				return []string{classCallout}, []string{"DHA"}
			}
		}
	}
	return classes, words
}

// listingTexts are the reason texts of a listing: its TXT and the
// documented meanings of its answer codes (the verdict's own reason is
// built from those meanings).
func listingTexts(ls Listing) []string {
	return append(append([]string{}, ls.TXT...), ls.Meanings...)
}
