package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/dnsblaudit/dnsblaudit/bounce"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// bounceJSON is the report as docs/bounce-json.md describes it: nil
// slices become empty arrays, so readers never meet null.
func bounceJSON(rep *bounce.Report) *bounce.Report {
	out := *rep
	if out.Failures == nil {
		out.Failures = []bounce.Failure{}
	}
	if out.Problems == nil {
		out.Problems = []bounce.Problem{}
	}
	return &out
}

// writeBounceText prints one line per failure, the details of each
// blocklisting under it, then a summary.
func writeBounceText(w io.Writer, rep *bounce.Report, listed int) error {
	ew := &errWriter{w: w}
	for _, f := range rep.Failures {
		writeFailureText(ew, f)
	}
	writeBounceSummary(ew, rep, listed)
	writeBounceProblems(ew, rep.Problems)
	return ew.err
}

func writeFailureText(w io.Writer, f bounce.Failure) {
	rcpt := f.Recipient
	if rcpt == "" {
		rcpt = "(recipient not named)"
	}
	code := strings.TrimSpace(f.ReplyCode + " " + f.Status)
	fmt.Fprintf(w, "%s#%d: %s %s %s\n", safe(f.File), f.Message, rcpt, orDash(code), orDash(f.RemoteMTA))
	if !f.Blocklisted {
		fmt.Fprintf(w, "  said: %s\n", orDash(textsafe.Clip(f.Diagnostic, 200)))
		return
	}
	fmt.Fprintf(w, "  BLOCKLISTED: %s (%s, %s)\n", f.List, f.Provider, f.Kind)
	if f.ListedIP != "" || f.ListedDomain != "" {
		fmt.Fprintf(w, "  listed: %s\n", strings.TrimSpace(f.ListedIP+" "+f.ListedDomain))
	}
	if f.DelistURL != "" {
		fmt.Fprintf(w, "  delist: %s\n", f.DelistURL)
	}
	if d := f.DNSList; d != nil {
		switch d.Status {
		case bounce.ListDead:
			fmt.Fprintf(w, "  DNS list: %s (%s), dead since %s: %s\n", d.Name, d.Zone, d.Dead, d.DeadReason)
		default:
			fmt.Fprintf(w, "  DNS list: %s (%s), %s: dnsblaudit check can query it\n", d.Name, d.Zone, d.Status)
		}
	} else {
		fmt.Fprintln(w, "  DNS list: none (no DNS query can see this list)")
	}
	if f.Time != nil {
		fmt.Fprintf(w, "  time: %s (%s)\n", f.Time.UTC().Format("2006-01-02 15:04:05 UTC"), f.TimeSource)
	}
	fmt.Fprintf(w, "  said: %s\n", f.Diagnostic)
}

func writeBounceSummary(w io.Writer, rep *bounce.Report, listed int) {
	byList := map[string]int{}
	for _, f := range rep.Failures {
		if f.Blocklisted {
			byList[f.List]++
		}
	}
	names := make([]string, 0, len(byList))
	for n := range byList {
		names = append(names, fmt.Sprintf("%s %d", n, byList[n]))
	}
	sort.Strings(names)
	fmt.Fprintf(w, "\n%d messages in %d files: %d failed recipients shown, %d blocklisted", rep.Messages, rep.Files, len(rep.Failures), listed)
	if len(names) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(names, ", "))
	}
	fmt.Fprintf(w, "; %d messages without a failed recipient\n", rep.NoFailure)
}

func writeBounceProblems(w io.Writer, problems []bounce.Problem) {
	if len(problems) == 0 {
		return
	}
	fmt.Fprintf(w, "%d problems (read on as far as possible):\n", len(problems))
	for _, p := range problems {
		where := safe(p.File)
		if p.Message > 0 {
			where = fmt.Sprintf("%s#%d", where, p.Message)
		}
		fmt.Fprintf(w, "  %s: %s\n", where, safe(p.Error))
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// errWriter keeps the first write error, so a long report is written
// with plain Fprintf calls and checked once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
