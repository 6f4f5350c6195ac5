package main

import (
	"io"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// jsonSafe wraps the writer of every JSON output: encoding/json leaves
// DEL, C1 and bidi controls raw, and stranger text (TXT records, WHOIS
// answers, log lines) must not act on the terminal that shows it.
func jsonSafe(w io.Writer) io.Writer { return textsafe.JSONWriter(w) }
