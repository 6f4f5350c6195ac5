package demo

import (
	"strings"
	"testing"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
)

// The story's antispam cloud is fictional: its registry answers name no
// real holder, person, address or number of the answer they derive from.
func TestFilterNet6NamesNoRealHolder(t *testing.T) {
	whois, rdap, err := FilterNet6.Answers()
	if err != nil {
		t.Fatal(err)
	}
	if leak := whoistest.LeakedIdentities(whois + rdap); len(leak) > 0 {
		t.Errorf("%s names %q", FilterNet6.Prefix, leak)
	}
	for _, want := range []string{"descr:          Example Filter Cloud IPv6 Launch", "abuse@filter.example", "inet6num:       " + filterNet6} {
		if !strings.Contains(whois, want) {
			t.Errorf("WHOIS of %s lacks %q", FilterNet6.Prefix, want)
		}
	}
}
