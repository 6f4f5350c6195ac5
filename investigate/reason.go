package investigate

import (
	"regexp"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// calloutWords match reason texts of lists that take address probing for
// an attack. The seed case: "listed ... as a source of dictionary attacks".
// Callbacks look exactly like that from a trap's side: a null sender asking
// about addresses that do not exist.
var calloutWords = regexp.MustCompile(`(?i)\b(dictionary[ -]attacks?|directory[ -]harvest(ing)?( attacks?)?|address[ -]harvest(ing|er)?|harvest(ing|er)?|call-?backs?|call-?outs?|(address|recipient|sender) verification|(unknown|invalid|non-?existent) (users?|recipients?|addresses))\b`)

// dha is the acronym alone, in capitals: "dha" in lower case is as likely
// a host name (dha.example.net) as a directory harvest attack.
var dha = regexp.MustCompile(`\bDHA\b`)

// CalloutWords returns the phrases of txt that point at address probing, in
// the order they appear, each once, sanitised.
func CalloutWords(txt ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range txt {
		t = textsafe.Line(t)
		for _, m := range append(calloutWords.FindAllString(t, -1), dha.FindAllString(t, -1)...) {
			k := strings.ToLower(m)
			if !seen[k] {
				seen[k] = true
				out = append(out, m)
			}
		}
	}
	return out
}
