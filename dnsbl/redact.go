package dnsbl

import "errors"

// redactErr keeps the error's identity (errors.Is) but not the key.
func redactErr(l *list, err error) error {
	if err == nil || l.key == "" {
		return err
	}
	msg := l.redact(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return unwrapSentinel(e.err) }

// unwrapSentinel exposes only our named errors, never the raw message.
func unwrapSentinel(err error) error {
	for _, s := range []error{ErrTimeout, ErrServFail, ErrRefusedRcode, ErrNetwork, ErrBadAnswer} {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}
