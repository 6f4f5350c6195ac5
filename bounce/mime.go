package bounce

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"regexp"
	"strings"
)

// maxDepth bounds MIME nesting: bounces nest two or three levels deep,
// a fuzzer or an attacker thousands.
const maxDepth = 12

// parts are the pieces of a bounce that say why delivery failed.
type parts struct {
	dsn      [][]byte // RFC 3464 message/delivery-status bodies, decoded
	text     []string // human-readable parts, decoded, returned message cut off
	warnings []string
}

func (p *parts) warn(format string, args ...any) {
	p.warnings = append(p.warnings, fmt.Sprintf(format, args...))
}

// walk reads one MIME entity. A broken part (bad Content-Type, missing
// boundary, truncated base64) is a warning: what could be read is kept,
// since half the bounces in the wild bend MIME somewhere.
func (p *parts) walk(h textproto.MIMEHeader, body io.Reader, depth int) {
	if depth > maxDepth {
		p.warn("MIME nested deeper than %d levels: inner parts not read", maxDepth)
		return
	}
	mediaType, params := contentType(multipartFirst(h.Values("Content-Type")))
	if returnedMessage(mediaType) {
		return // the returned message: never read for rejections (see doc.go)
	}
	data, err := decodeBody(h.Get("Content-Transfer-Encoding"), body)
	if err != nil && !truncated(err) {
		p.warn("%s part: %v (read as far as it decoded)", mediaType, err)
	}
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		if params["boundary"] == "" {
			p.warn("%s without a boundary: read as text", mediaType)
			p.addText(string(data))
			return
		}
		p.walkMultipart(data, params["boundary"], depth)
	case mediaType == "message/delivery-status", mediaType == "message/global-delivery-status":
		// RFC 3464 §2, RFC 6533 §6.
		p.dsn = append(p.dsn, data)
	case mediaType == "text/html":
		p.addText(htmlText(string(data)))
	case strings.HasPrefix(mediaType, "text/"), mediaType == "":
		p.addText(string(data))
	}
}

func (p *parts) walkMultipart(data []byte, boundary string, depth int) {
	data = indentParams(data)
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	for n := 0; ; n++ {
		part, err := mr.NextRawPart()
		if err == io.EOF || (n > 0 && truncated(err)) {
			return
		}
		if err != nil {
			if n == 0 {
				// Not multipart after all (a bounce that says it is but
				// never uses its boundary, or whose part header is
				// broken): read it as text.
				p.addText(string(data))
				if truncated(err) {
					p.warn("multipart body without its boundary line %q: read as text", boundary)
					return
				}
			}
			p.warn("multipart part %d: %v", n+1, err)
			return
		}
		p.walk(part.Header, part, depth+1)
	}
}

// paramLine is a Content-Type parameter on a line of its own after a line
// ending in ';' but not indented: a folding error some mailers make
// (Office 365, Apache James, Verizon in the sisimai set), which
// net/textproto rightly refuses as a header line without a colon.
var paramLine = regexp.MustCompile(`;\n([A-Za-z-]+=)`)

// indentParams indents such parameter lines, so that the part header is
// read as its sender meant it (RFC 5322 §2.2.3 folding). In a body the
// change is one added tab.
func indentParams(data []byte) []byte {
	if !bytes.Contains(data, []byte(";\n")) {
		return data
	}
	return paramLine.ReplaceAll(data, []byte(";\n\t$1"))
}

// truncated: the message ends inside a part, its closing boundary
// missing. Saved and forwarded bounces are often cut short this way, most
// often inside the returned message; what was read is kept, silently.
func truncated(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// returnedMessage: the parts that carry the original message back (RFC
// 3462 §2 third part, RFC 6532/6533 global forms).
func returnedMessage(mediaType string) bool {
	switch mediaType {
	case "message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers", "message/partial", "message/external-body":
		return true
	}
	return false
}

// multipartFirst picks, of several Content-Type fields (a mailer that
// adds its own in front of the one it received), the multipart one: the
// other cannot describe a body that has boundaries.
func multipartFirst(values []string) string {
	for _, v := range values {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "multipart/") {
			return v
		}
	}
	if len(values) > 0 {
		return values[0]
	}
	return ""
}

// contentType parses a Content-Type header; a missing or broken one is
// text/plain (RFC 2045 §5.2).
func contentType(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "text/plain", nil
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil && mt == "" {
		return "text/plain", nil
	}
	return strings.ToLower(mt), params
}

// decodeBody undoes the transfer encoding (RFC 2045 §6). On an error the
// bytes decoded so far are returned with it.
func decodeBody(cte string, body io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return io.ReadAll(base64.NewDecoder(base64.StdEncoding, &base64Filter{r: body}))
	case "quoted-printable":
		raw, err := io.ReadAll(body)
		dec, qerr := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if qerr != nil {
			// Raw control bytes (an ISO-2022-JP escape in a QP part, seen
			// from Office 365) stop mime/quotedprintable; read on the way
			// mail readers do.
			dec = lenientQP(raw)
		}
		return dec, err
	default:
		return io.ReadAll(body)
	}
}

// lenientQP decodes quoted-printable (RFC 2045 §6.7) keeping every byte
// that is not a valid escape as it is.
func lenientQP(raw []byte) []byte {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		switch {
		case i+1 < len(raw) && raw[i+1] == '\n':
			i++ // soft line break
		case i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]):
			out = append(out, unhex(raw[i+1])<<4|unhex(raw[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// base64Filter drops what is not base64 (spaces, stray characters some
// mailers leave, text after the padding) so that one bad byte does not
// lose the rest of a part; encoding/base64 itself skips only CR and LF.
type base64Filter struct {
	r   io.Reader
	end bool
}

func (f *base64Filter) Read(p []byte) (int, error) {
	if f.end {
		return 0, io.EOF
	}
	n, err := f.r.Read(p)
	j := 0
	for i := 0; i < n; i++ {
		c := p[i]
		if isBase64(c) {
			p[j] = c
			j++
			continue
		}
		if c == '=' {
			p[j] = c
			j++
		}
	}
	out := p[:j]
	// After padding nothing more belongs to this part.
	if k := bytes.IndexByte(out, '='); k >= 0 {
		for k < len(out) && out[k] == '=' {
			k++
		}
		f.end = true
		return k, nil
	}
	return j, err
}

func isBase64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}

var (
	htmlBreaks = regexp.MustCompile(`(?i)<(br|/p|/div|/tr|/li|/h[1-6])\b[^>]*>`)
	htmlTags   = regexp.MustCompile(`(?s)<[^>]*>`)
	htmlSkip   = regexp.MustCompile(`(?is)<(style|script|head)\b.*?</(style|script|head)>`)
)

// htmlText is the text of an HTML part, enough to find a rejection in
// (Exchange Online puts its diagnostic in an HTML part).
func htmlText(s string) string {
	s = htmlSkip.ReplaceAllString(s, "")
	s = htmlBreaks.ReplaceAllString(s, "\n")
	s = htmlTags.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

func (p *parts) addText(s string) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = cutReturnedMessage(s)
	if strings.TrimSpace(s) != "" {
		p.text = append(p.text, s)
	}
}
