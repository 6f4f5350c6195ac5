package evidence

import (
	"math/rand/v2"
	"testing"
)

// TestPidTableAgreesWithMap runs random inserts, look-ups, deletions and
// drains on the filter's pid table and on a map, with few distinct pids so
// that probe runs collide, wrap and shift back on deletion.
func TestPidTableAgreesWithMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, span := range []int{8, 100, 5000, 1 << 22} {
		tab, ref := newPidTable(), map[int]*pidState{}
		for op := range 200000 {
			pid := r.IntN(span)
			switch r.IntN(10) {
			case 0, 1, 2:
				st := &pidState{connect: op}
				tab.set(pid, st)
				ref[pid] = st
			case 3, 4, 5:
				tab.del(pid)
				delete(ref, pid)
			case 6:
				if r.IntN(500) == 0 {
					n := 0
					tab.drain(func(*pidState) { n++ })
					if n != len(ref) {
						t.Fatalf("span %d op %d: drained %d entries, want %d", span, op, n, len(ref))
					}
					clear(ref)
				}
			default:
				if got, want := tab.get(pid), ref[pid]; got != want {
					t.Fatalf("span %d op %d: get(%d) = %p, want %p", span, op, pid, got, want)
				}
			}
			if tab.n != len(ref) {
				t.Fatalf("span %d op %d: %d entries, want %d", span, op, tab.n, len(ref))
			}
		}
		for pid, want := range ref {
			if got := tab.get(pid); got != want {
				t.Fatalf("span %d: final get(%d) = %p, want %p", span, pid, got, want)
			}
		}
	}
}
