package textsafe

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// jsonWriter writes JSON with the characters that encoding/json leaves
// raw but a terminal may obey escaped as \uXXXX: DEL, the C1 controls
// (xterm reads U+009B as CSI even in UTF-8) and the bidi controls
// (Trojan Source). Outside strings JSON is ASCII, so these occur only
// inside strings, where the escape means the same character (RFC 8259
// section 7): the document decodes exactly as before, and stranger text in
// it (TXT records, WHOIS answers, log lines) cannot act on a terminal that
// shows it.
type jsonWriter struct {
	w       io.Writer
	pending []byte // an incomplete UTF-8 sequence left by the last Write
	buf     []byte
}

// JSONWriter returns a writer for encoding/json output that escapes what
// Unsafe names as \uXXXX (see jsonWriter).
func JSONWriter(w io.Writer) io.Writer { return &jsonWriter{w: w} }

func (j *jsonWriter) Write(p []byte) (int, error) {
	data := p
	if len(j.pending) > 0 {
		data = append(j.pending, p...)
		j.pending = nil
	}
	j.buf = j.buf[:0]
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf && c != 0x7f {
			j.buf = append(j.buf, c)
			i++
			continue
		}
		if !utf8.FullRune(data[i:]) {
			j.pending = append([]byte(nil), data[i:]...)
			break
		}
		r, size := utf8.DecodeRune(data[i:])
		if (size > 1 || c == 0x7f) && Unsafe(r) {
			j.buf = fmt.Appendf(j.buf, `\u%04x`, r)
		} else {
			j.buf = append(j.buf, data[i:i+size]...)
		}
		i += size
	}
	if _, err := j.w.Write(j.buf); err != nil {
		return 0, err
	}
	return len(p), nil
}
