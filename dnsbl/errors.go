package dnsbl

import "errors"

// Named errors; callers test them with errors.Is. A listing is never an
// error: it is a Result with Verdict Listed.
var (
	// ErrBadTarget marks a target that is not an IP, CIDR or domain name.
	ErrBadTarget = errors.New("bad target")
	// ErrTooLarge marks a CIDR wider than the expansion cap.
	ErrTooLarge = errors.New("network too large")
	// ErrUnknownList marks a list name that is neither in the catalogue
	// nor in the configuration.
	ErrUnknownList = errors.New("unknown list")
	// ErrBadConfig marks an invalid dnsbl configuration or list definition.
	ErrBadConfig = errors.New("invalid dnsbl configuration")
	// ErrBadRule marks a return-code rule that does not parse.
	ErrBadRule = errors.New("bad return-code rule")
	// ErrMissingKey marks a list whose zone needs a key that is not set.
	ErrMissingKey = errors.New("missing list key")
	// ErrBudget marks a lookup not sent because the list's query budget
	// for the run (max_queries) was spent.
	ErrBudget = errors.New("query budget spent")
	// ErrTimeout is a lookup that got no answer after every retry.
	ErrTimeout = errors.New("timeout")
	// ErrServFail is a SERVFAIL answer after every retry.
	ErrServFail = errors.New("SERVFAIL")
	// ErrRefusedRcode is a REFUSED answer (the DNS rcode, not a list's
	// refusal code, which is a Refused verdict).
	ErrRefusedRcode = errors.New("REFUSED")
	// ErrNetwork is a failure to reach the resolver.
	ErrNetwork = errors.New("network error")
	// ErrBadAnswer is an answer that does not belong to the question.
	ErrBadAnswer = errors.New("bad answer")
)
