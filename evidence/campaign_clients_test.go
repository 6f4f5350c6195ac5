package evidence

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestClientSetAgreesWithMap checks clientSet against a map:
// the first maxClients distinct clients, sorted, an empty slice not nil.
func TestClientSetAgreesWithMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, distinct := range []int{0, 1, 16, 17, 300, 5000} {
		var s clientSet
		ref := map[string]bool{}
		for range 4 * distinct {
			ip := fmt.Sprintf("192.0.%d.%d", r.IntN(distinct)/256, r.IntN(distinct)%256)
			s.add(ip)
			if len(ref) < maxClients && !ref[ip] {
				ref[ip] = true
			}
		}
		want := []string{}
		for ip := range ref {
			want = append(want, ip)
		}
		sort.Strings(want)
		got := s.sorted()
		if got == nil || !slices.Equal(got, want) {
			t.Fatalf("%d distinct: got %d clients, want %d", distinct, len(got), len(want))
		}
	}
}
