package evidence

// qidSet holds the queue ids of the ordinary messages of one chunk, for
// the boring-session filter, which asks it about most queue lines of a
// busy log (a delivery, a removal, a client= line each). It is an
// open-addressed table with linear probing, emptied whole per chunk: a
// Go map spent most of its look-up in its general-purpose string hash,
// and took about 1.6 times the instructions for these look-ups. Keys
// point into the chunk, so the set is cleared before the chunk's buffer
// is reused.
type qidSet struct {
	keys []string // "" marks a free slot (queue ids are never empty)
	n    int
}

func newQIDSet() *qidSet { return &qidSet{keys: make([]string, 256)} }

// qidHash mixes a queue id's first and last eight bytes (Postfix ids are
// 10 to 20 bytes; consecutive ones differ at either end) and its length.
func qidHash(s string) uint64 {
	var h uint64
	if len(s) >= 8 {
		h = load64(s, 0) ^ (load64(s, len(s)-8) * 0x9E3779B97F4A7C15)
	} else {
		for i := 0; i < len(s); i++ {
			h = h<<8 | uint64(s[i])
		}
	}
	h ^= uint64(len(s))
	return (h ^ h>>29) * 0xBF58476D1CE4E5B9
}

// load64 reads s[i:i+8] as a little-endian word; the compiler makes the
// shifts one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func (q *qidSet) slot(s string) int {
	mask := len(q.keys) - 1
	i := int(qidHash(s)>>32) & mask
	for q.keys[i] != "" && q.keys[i] != s {
		i = (i + 1) & mask
	}
	return i
}

func (q *qidSet) has(s string) bool { return s != "" && q.keys[q.slot(s)] != "" }

func (q *qidSet) add(s string) {
	if s == "" {
		return
	}
	if 2*(q.n+1) > len(q.keys) { // at most half full: probes stay short
		old := q.keys
		q.keys, q.n = make([]string, 2*len(old)), 0
		for _, k := range old {
			if k != "" {
				q.add(k)
			}
		}
	}
	if i := q.slot(s); q.keys[i] == "" {
		q.keys[i] = s
		q.n++
	}
}

func (q *qidSet) len() int { return q.n }

// reset empties the set and drops its keys (they point into the chunk).
func (q *qidSet) reset() {
	if q.n > 0 {
		clear(q.keys)
		q.n = 0
	}
}
