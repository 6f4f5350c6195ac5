package main

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// writeEvidenceJSON writes the report as json.Encoder with SetIndent("",
// "  ") would, byte for byte, but one prober or suspect at a time: the
// encoder builds the whole document in memory before writing it, which
// for a large report doubled the scan's peak.
func writeEvidenceJSON(w io.Writer, rep *evidence.Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	fields := []struct {
		name string
		v    any
		skip bool
	}{
		{"domains", rep.Domains, false},
		{"since", rep.Since, rep.Since == nil},
		{"until", rep.Until, rep.Until == nil},
		{"span", rep.Span, false},
		{"probers", rep.Probers, false},
		{"suspects", rep.Suspects, false},
		{"campaign", rep.Campaign, false},
		{"stats", rep.Stats, false},
	}
	bw.WriteString("{")
	first := true
	for _, f := range fields {
		if f.skip {
			continue
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n  \"" + f.name + "\": ")
		var err error
		switch v := f.v.(type) {
		case []evidence.Prober:
			err = writeJSONArray(bw, v)
		case []evidence.Suspect:
			err = writeJSONArray(bw, v)
		default:
			err = writeJSONValue(bw, v)
		}
		if err != nil {
			return err
		}
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// writeJSONArray writes a top-level field's array an element at a time.
func writeJSONArray[T any](bw *bufio.Writer, list []T) error {
	if list == nil {
		bw.WriteString("null")
		return nil
	}
	if len(list) == 0 {
		bw.WriteString("[]")
		return nil
	}
	bw.WriteString("[")
	for i := range list {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		if err := writeJSONValueAt(bw, list[i], "    "); err != nil {
			return err
		}
	}
	bw.WriteString("\n  ]")
	return nil
}

func writeJSONValue(bw *bufio.Writer, v any) error { return writeJSONValueAt(bw, v, "  ") }

func writeJSONValueAt(bw *bufio.Writer, v any, prefix string) error {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	_, err = bw.Write(b)
	return err
}
