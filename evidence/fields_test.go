package evidence

import (
	"strings"
	"testing"
)

// looksLikeIPByBytes is looksLikeIP written plainly, for FuzzLooksLikeIP.
func looksLikeIPByBytes(s string) bool {
	if len(s) < 2 || len(s) > 45 {
		return false
	}
	dots, colons := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dots++
		case c == ':':
			colons++
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return dots == 3 || colons >= 2
}

func FuzzLooksLikeIP(f *testing.F) {
	for _, s := range []string{"1.2.3.4", "::1", "2001:db8::1", "unknown", "1.2.3", "1.2.3.4.5", "fe80::1%eth0", "", "1", "::", strings.Repeat(":", 45), strings.Repeat(".", 46)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := looksLikeIP(s), looksLikeIPByBytes(s); got != want {
			t.Errorf("looksLikeIP(%q) = %v, want %v", s, got, want)
		}
	})
}

// queuePrefixBySearch is queuePrefix as it was written first: the first
// ':' by strings.IndexByte, then the id checked, for FuzzQueuePrefix.
func queuePrefixBySearch(msg string) (qid, rest string, ok bool) {
	i := strings.IndexByte(msg, ':')
	if i < 5 || i > 32 || i+1 >= len(msg) || msg[i+1] != ' ' || !isQueueID(msg[:i]) {
		return "", msg, false
	}
	return msg[:i], msg[i+2:], true
}

func FuzzQueuePrefix(f *testing.F) {
	for _, s := range []string{"4A1B2C3D01: client=a[1.2.3.4]", "NOQUEUE: reject: RCPT", "3Ln2GT6mJWz1XGm: removed", "abcd: x", "abcde:x", "abcde: ", "abcde:", strings.Repeat("a", 32) + ": x", strings.Repeat("a", 33) + ": x", "ab-cd: x", "ab cd: x", "Anonymous TLS connection established from a[1.2.3.4]: TLSv1.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		q1, r1, ok1 := queuePrefix(msg)
		q2, r2, ok2 := queuePrefixBySearch(msg)
		if q1 != q2 || r1 != r2 || ok1 != ok2 {
			t.Errorf("queuePrefix(%q) = %q, %q, %v; by search %q, %q, %v", msg, q1, r1, ok1, q2, r2, ok2)
		}
	})
}
