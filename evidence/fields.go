package evidence

import "strings"

// Small allocation-free helpers shared by the parsers. They work on
// sub-strings of the line, so an event's fields point into its Raw text.

// angleAfter returns the text between "<" and ">" that follows key
// ("from=" -> the sender of "from=<a@b>"); ok is false when key is absent.
func angleAfter(s, key string) (string, bool) {
	i := strings.Index(s, key)
	if i < 0 {
		return "", false
	}
	return angleAt(s, i+len(key))
}

// angleAt reads "<…>" at s[i:].
func angleAt(s string, i int) (string, bool) {
	if i >= len(s) || s[i] != '<' {
		return "", false
	}
	end := strings.IndexByte(s[i+1:], '>')
	if end < 0 {
		return "", false
	}
	return s[i+1 : i+1+end], true
}

// stripAngles turns "<a@b>" into "a@b"; other text is returned as is.
func stripAngles(s string) string {
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		return s[1 : len(s)-1]
	}
	return s
}

// nameAddr splits Postfix's "name[ip]" client notation, also with the
// port that smtpd_client_port_logging = yes adds ("name[ip]:port") and
// postscreen's "[ip]:port".
func nameAddr(s string) (name, ip string, ok bool) {
	s = cutPort(s)
	open := strings.IndexByte(s, '[')
	if open < 0 || len(s) == 0 || s[len(s)-1] != ']' {
		return "", "", false
	}
	ip = s[open+1 : len(s)-1]
	return s[:open], ip, looksLikeIP(ip)
}

// cutPort drops a ":port" after the closing bracket of "name[ip]:port".
func cutPort(s string) string {
	i := strings.LastIndexByte(s, ']')
	if i < 0 || i == len(s)-1 || s[i+1] != ':' || i+2 == len(s) {
		return s
	}
	for _, c := range []byte(s[i+2:]) {
		if c < '0' || c > '9' {
			return s
		}
	}
	return s[:i+1]
}

// looksLikeIP is a cheap shape check (hex digits, dots and colons, an IPv6
// zone is not expected in mail logs); the exact parse happens only for the
// few addresses that reach the report.
func looksLikeIP(s string) bool {
	if len(s) < 2 || len(s) > 45 {
		return false
	}
	// One table look-up and one addition a byte, no branch: every client
	// address of every Postfix line comes through here. The sum counts
	// dots in its low byte, colons in the next and other bytes above
	// (45 bytes at most: no count overflows into the next).
	var sum uint32
	for i := 0; i < len(s); i++ {
		sum += ipByte[s[i]]
	}
	dots, colons := sum&0xff, sum>>8&0xff
	return sum < ipOther && (dots == 3 || colons >= 2)
}

// What each byte adds to looksLikeIP's sum; hex digits add nothing.
const (
	ipDot   = 1
	ipColon = 1 << 8
	ipOther = 1 << 16
)

var ipByte = func() (t [256]uint32) {
	for i := range t {
		t[i] = ipOther
	}
	for _, r := range "0123456789abcdefABCDEF" {
		t[r] = 0
	}
	t['.'], t[':'] = ipDot, ipColon
	return t
}()

// field returns the value of "key=value" ending at sep (or the end).
func field(s, key string, sep byte) (string, bool) {
	i := strings.Index(s, key)
	for i > 0 && s[i-1] != ' ' && s[i-1] != ',' && s[i-1] != ';' {
		j := strings.Index(s[i+1:], key)
		if j < 0 {
			return "", false
		}
		i += 1 + j
	}
	if i < 0 {
		return "", false
	}
	v := s[i+len(key):]
	if end := strings.IndexByte(v, sep); end >= 0 {
		v = v[:end]
	}
	return v, true
}

// atoi reads a non-negative decimal; -1 when s is not one.
func atoi(s string) int {
	if s == "" || len(s) > 9 {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// isQueueID accepts Postfix short (hex) and long (base 52 + 'z' + …) queue
// ids, Sendmail's "s1REn1un088377" and Exim's message ids: letters, digits
// and '-' only, 5 to 32 characters.
func isQueueID(s string) bool {
	if len(s) < 5 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !queueIDByte[s[i]] {
			return false
		}
	}
	return true
}

// queueIDByte marks the bytes a queue id is made of.
var queueIDByte = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-'
	}
	return t
}()

// queuePrefix splits "QID: rest"; ok is false when the line has none.
// One loop reads the id up to its ':' (a byte that cannot be in one),
// where a search for the first ':' and a second pass over the id read
// it twice, on most Postfix lines.
func queuePrefix(msg string) (qid, rest string, ok bool) {
	i := 0
	for i < len(msg) && i <= 32 && queueIDByte[msg[i]] {
		i++
	}
	if i < 5 || i > 32 || i+1 >= len(msg) || msg[i] != ':' || msg[i+1] != ' ' {
		return "", msg, false
	}
	return msg[:i], msg[i+2:], true
}

// localPart and domainOf split an address at its last '@'.
func localPart(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[:i]
	}
	return addr
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}
