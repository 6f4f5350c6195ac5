package notify

import "errors"

// Errors callers can test with errors.Is.
var (
	// ErrConfig: the notify section of the configuration is invalid.
	ErrConfig = errors.New("invalid notify configuration")
	// ErrAddress: an address does not parse (net/mail).
	ErrAddress = errors.New("invalid mail address")
	// ErrHeader: a header value holds a line break or control character;
	// it is refused, never cleaned, since a cleaned header hides an attack.
	ErrHeader = errors.New("unsafe header value")
	// ErrInput: the evidence or case file cannot be read.
	ErrInput = errors.New("invalid notify input")
	// ErrNoFrom: no From address is configured (notify.from).
	ErrNoFrom = errors.New("no sender address configured (set notify.from)")
	// ErrSend: a notice could not be delivered.
	ErrSend = errors.New("sending failed")
	// ErrRecord: a notice was delivered but could not be recorded.
	ErrRecord = errors.New("recording a sent notice failed")
	// ErrNoXARF: X-ARF 0.2 has no category for SMTP callouts. The one used
	// before (Category info, Report-Type harvesting) pointed at the
	// login-attack schema, which describes another abuse: an X-ARF parser
	// would read it wrongly. Notices are plain text (RFC 6650 asks the first
	// text part to carry everything anyway).
	ErrNoXARF = errors.New("X-ARF 0.2 has no category for SMTP callouts; notices are sent as plain text")
	// ErrNoPassword: SMTP AUTH is configured but its password is missing.
	ErrNoPassword = errors.New("SMTP password not available")
)
