package evidence

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestQIDSetAgreesWithMap adds and asks random ids, Postfix-shaped and
// short, across growth and resets, and compares with a map.
func TestQIDSetAgreesWithMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	q, m := newQIDSet(), map[string]bool{}
	for round := range 50 {
		for range r.IntN(2000) {
			var id string
			switch r.IntN(3) {
			case 0:
				id = fmt.Sprintf("%010X", r.IntN(5000))
			case 1:
				id = fmt.Sprintf("4Q%dz%d", r.IntN(3000), r.IntN(7))
			default:
				id = fmt.Sprintf("%x", r.IntN(300))
			}
			if r.IntN(2) == 0 {
				q.add(id)
				m[id] = true
			}
			if q.has(id) != m[id] {
				t.Fatalf("round %d: has(%q) = %v, map says %v", round, id, q.has(id), m[id])
			}
		}
		if q.len() != len(m) {
			t.Fatalf("round %d: %d ids, map has %d", round, q.len(), len(m))
		}
		q.reset()
		clear(m)
	}
	if q.has("") {
		t.Error("the empty id is never in the set")
	}
}
