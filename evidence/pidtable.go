package evidence

// pidTable maps the smtpd pids of the sessions open in one chunk to their
// state: an open-addressed table with linear probing, in place of a Go
// map, because the boring-session filter looks up, inserts and deletes a
// pid for every session line, and a map's delete alone cost it 1–2 % of
// the scan. Keys are non-negative (atoi's result); pidEmpty marks a free
// slot. Deletion shifts the following entries back (no tombstones), so
// the table never needs a clean-up however many sessions pass through.
type pidTable struct {
	keys []int
	vals []*pidState
	n    int
}

const pidEmpty = -1

func newPidTable() *pidTable {
	t := &pidTable{}
	t.init(64)
	return t
}

func (t *pidTable) init(size int) {
	t.keys = make([]int, size)
	for i := range t.keys {
		t.keys[i] = pidEmpty
	}
	t.vals = make([]*pidState, size)
	t.n = 0
}

// home is the first slot probed for pid (Fibonacci hashing spreads the
// consecutive pids a busy server hands out).
func (t *pidTable) home(pid int) int {
	return int((uint64(pid) * 0x9E3779B97F4A7C15) >> 32 & uint64(len(t.keys)-1))
}

func (t *pidTable) get(pid int) *pidState {
	mask := len(t.keys) - 1
	for i := t.home(pid); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case pid:
			return t.vals[i]
		case pidEmpty:
			return nil
		}
	}
}

func (t *pidTable) set(pid int, st *pidState) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	mask := len(t.keys) - 1
	for i := t.home(pid); ; i = (i + 1) & mask {
		switch t.keys[i] {
		case pid:
			t.vals[i] = st
			return
		case pidEmpty:
			t.keys[i], t.vals[i] = pid, st
			t.n++
			return
		}
	}
}

// del removes pid and moves back the entries of its probe run that
// would otherwise be cut off from their home slot.
func (t *pidTable) del(pid int) {
	mask := len(t.keys) - 1
	i := t.home(pid)
	for t.keys[i] != pid {
		if t.keys[i] == pidEmpty {
			return
		}
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; t.keys[j] != pidEmpty; j = (j + 1) & mask {
		k := t.home(t.keys[j])
		// The entry at j stays if its home lies cyclically in (i, j].
		if (i <= j && i < k && k <= j) || (i > j && (i < k || k <= j)) {
			continue
		}
		t.keys[i], t.vals[i] = t.keys[j], t.vals[j]
		i = j
	}
	t.keys[i], t.vals[i] = pidEmpty, nil
	t.n--
}

func (t *pidTable) grow() {
	keys, vals := t.keys, t.vals
	t.init(2 * len(keys))
	for i, k := range keys {
		if k != pidEmpty {
			t.set(k, vals[i])
		}
	}
}

// drain calls fn for every entry and empties the table.
func (t *pidTable) drain(fn func(*pidState)) {
	if t.n == 0 {
		return
	}
	for i, k := range t.keys {
		if k != pidEmpty {
			fn(t.vals[i])
			t.keys[i], t.vals[i] = pidEmpty, nil
		}
	}
	t.n = 0
}
