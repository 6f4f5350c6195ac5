package whoisctx

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
)

// placeholders are addresses registries put where there is no real
// contact: APNIC's transferred-range stubs, LACNIC's removed contacts, and
// the registries' own abuse desks, which appear on parent blocks they do not
// operate.
var placeholders = map[string]bool{
	"no-email@apnic.net":        true,
	"removed@lacnic.net":        true,
	"abuse@ripe.net":            true,
	"abuse@lacnic.net":          true,
	"abuse@apnic.net":           true,
	"abuse@afrinic.net":         true,
	"hostmaster@arin.net":       true,
	"noc@arin.net":              true,
	"abuse@iana.org":            true,
	"no-reply@apnic.net":        true,
	"helpdesk@apnic.net":        true,
	"noemail@example.com":       true,
	"redacted@redacted.invalid": true,
}

// isPlaceholder reports whether addr is a registry placeholder or a
// redaction marker ("DATA REDACTED", "REDACTED FOR PRIVACY").
func isPlaceholder(addr string) bool {
	a := strings.ToLower(addr)
	return placeholders[a] || strings.Contains(a, "redacted")
}

// cleanAddress validates one e-mail address found in stranger's text and
// returns it in a canonical form (domain lower-cased). Anything with a
// control character, a display name, a comment or more than one address is
// refused, so a registry answer can never smuggle a header (CR/LF) or a
// second recipient into a notice.
func cleanAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "'\"<>,;.")
	if s == "" || len(s) > 254 {
		return "", fmt.Errorf("%q: %w", s, ErrBadAddress)
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r > unicode.MaxASCII {
			return "", fmt.Errorf("%q: control, space or non-ASCII character: %w", s, ErrBadAddress)
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", fmt.Errorf("%q: %w", s, ErrBadAddress)
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], strings.ToLower(s[at+1:])
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		!validHostname(domain) {
		return "", fmt.Errorf("%q: bad domain: %w", s, ErrBadAddress)
	}
	return local + "@" + domain, nil
}

var hostnameRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$`)

func validHostname(s string) bool { return len(s) <= 253 && hostnameRE.MatchString(s) }

// emailInText finds address-like tokens in free text (remarks lines).
var emailInText = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
