package main

import (
	"fmt"
	"io"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// writeEvidence prints the report in the chosen format.
func writeEvidence(w io.Writer, rep *evidence.Report, format string) error {
	switch format {
	case "json":
		return writeEvidenceJSON(jsonSafe(w), rep)
	case "csv":
		return writeEvidenceCSV(w, rep)
	}
	return writeEvidenceText(w, rep)
}

// writeEvidenceInputErrors says, per input, why nothing could be read.
func writeEvidenceInputErrors(w io.Writer, rep *evidence.Report) {
	for _, f := range rep.Stats.Files {
		if f.Error != "" {
			fmt.Fprintf(w, "dnsblaudit: %s: %s\n", textsafe.Line(f.File), textsafe.Line(f.Error))
		}
	}
}
