package whoisctx

import "errors"

// Named errors; callers match them with errors.Is.
var (
	// ErrInvalidQuery: the query is neither an IP address nor a domain name.
	ErrInvalidQuery = errors.New("not an IP address or a domain name")
	// ErrRateLimited: the server answered with a rate-limit notice (RIPE
	// "temporarily denied", ARIN header-only answer, HTTP 429). It is never
	// a "no contact" answer.
	ErrRateLimited = errors.New("rate limited by the server")
	// ErrBackoff: a server rate-limited us recently and is left alone
	// until its back-off expires.
	ErrBackoff = errors.New("server in back-off after a rate limit")
	// ErrTooLarge: the answer exceeded the configured size limit and was
	// truncated.
	ErrTooLarge = errors.New("answer exceeds the size limit")
	// ErrNoServer: no registry server is known for the query.
	ErrNoServer = errors.New("no server known for the query")
	// ErrEmptyAnswer: the server closed the connection without a word,
	// which some registries do to clients they refuse.
	ErrEmptyAnswer = errors.New("empty answer")
	// ErrBadRedirect: an RDAP server redirected to plain http or to a host
	// that is not an RDAP server in the IANA bootstrap.
	ErrBadRedirect = errors.New("redirect refused")
	// ErrBadAddress: a string is not a usable e-mail address.
	ErrBadAddress = errors.New("not a usable e-mail address")
)
