package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Exit codes follow the Nagios plugin convention so that check can be used
// as a plugin unchanged; every command uses them.
const (
	exitOK       = 0 // clean / success
	exitWarning  = 1 // warning threshold reached, or something needs a look
	exitCritical = 2 // listed (critical)
	exitUnknown  = 3 // unable to check: bad input, configuration, network
)

// exitError carries an exit code and, optionally, a message for stderr.
// Commands return it for results that are not failures (a listing: 2).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// withCode returns an error that makes the process exit with code; msg may
// be empty when the command has already printed its result.
func withCode(code int, msg string) error { return &exitError{code: code, msg: msg} }

// exitCode is the single place that turns errors into exit codes. Anything
// that is not an exitError is a failure to check: exit 3, one line on stderr.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "dnsblaudit: "+textsafe.Line(ee.msg))
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "dnsblaudit: "+textsafe.Line(err.Error()))
	return exitUnknown
}
