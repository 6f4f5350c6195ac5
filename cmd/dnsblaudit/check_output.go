package main

import (
	"fmt"
	"io"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// checkStatus is the Nagios-style outcome of a check run.
type checkStatus struct {
	code   int
	label  string
	counts dnsbl.Counts
	// unable counts lookups without a definite verdict (refused, error,
	// bogus, unknown) plus targets that could not be expanded.
	unable int
}

// checkOutcome decides the exit code. CRITICAL beats UNKNOWN beats
// WARNING: a listing is news even when another list failed, and a failure
// to check is more urgent than a warning.
func checkOutcome(rep *dnsbl.Report, th thresholds) checkStatus {
	n := rep.Counts()
	st := checkStatus{counts: n, unable: n.Refused + n.Error + n.Bogus + n.Unknown}
	for _, t := range rep.Targets {
		if t.Error != "" {
			st.unable++
		}
	}
	// The thresholds count listings of severity block; a policy listing
	// (PBL) warns, an informational one (URIBL grey) is only reported.
	switch {
	case n.Block() >= th.critical:
		st.code, st.label = exitCritical, "CRITICAL"
	case st.unable > 0:
		st.code, st.label = exitUnknown, "UNKNOWN"
	case n.Block() >= th.warning || n.Policy > 0 || len(rep.Warnings) > 0:
		st.code, st.label = exitWarning, "WARNING"
	default:
		st.code, st.label = exitOK, "OK"
	}
	return st
}

// writeCheck prints the report in the chosen format and returns the exit
// status as an error (nil for OK).
func writeCheck(w io.Writer, rep *dnsbl.Report, outFormat string, th thresholds) error {
	st := checkOutcome(rep, th)
	var err error
	switch outFormat {
	case "json":
		err = writeCheckJSON(jsonSafe(w), rep, st)
	case "nagios":
		err = writeCheckNagios(w, rep, st, th)
	default:
		err = writeCheckText(w, rep, st)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if st.code == exitOK {
		return nil
	}
	return withCode(st.code, "")
}
