package main

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// checkSchema names the JSON schema documented in docs/check-json.md; it
// changes only on purpose (a new version for incompatible changes).
const checkSchema = "dnsblaudit.check/v1"

// checkJSONStatus is the "status" object of the document; the document's
// fields are written in order by writeCheckJSON (see docs/check-json.md).
type checkJSONStatus struct {
	Code        int    `json:"code"`
	Label       string `json:"label"`
	Listed      int    `json:"listed"`
	Allowlisted int    `json:"allowlisted"`
	NotListed   int    `json:"not_listed"`
	Refused     int    `json:"refused"`
	Error       int    `json:"error"`
	Bogus       int    `json:"bogus"`
	Unknown     int    `json:"unknown"`
	Unchecked   int    `json:"unchecked"`
	// Policy and Informational are the listings (in Listed) of those
	// severities; the thresholds count the others (block).
	Policy        int `json:"policy"`
	Informational int `json:"informational"`
	// Lookups are the results for which a query was made (unchecked and
	// not-queried results excluded), as the text summary counts them.
	Lookups int `json:"lookups"`
}

// writeCheckJSON streams the document: the results of a /20 on ten lists
// are tens of megabytes once encoded, and building them in memory before
// writing (what json.Encoder does) would double the peak.
func writeCheckJSON(w io.Writer, rep *dnsbl.Report, st checkStatus) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	status := checkJSONStatus{
		Code: st.code, Label: st.label, Listed: st.counts.Listed, Allowlisted: st.counts.Allowlisted,
		NotListed: st.counts.NotListed, Refused: st.counts.Refused, Error: st.counts.Error,
		Bogus: st.counts.Bogus, Unknown: st.counts.Unknown, Unchecked: st.counts.Unchecked,
		Policy: st.counts.Policy, Informational: st.counts.Informational, Lookups: rep.Lookups,
	}
	jw := &jsonWriter{w: bw}
	jw.raw("{\n")
	jw.field("schema", checkSchema, false)
	jw.field("started", rep.Started.UTC(), false)
	jw.field("finished", rep.Finished.UTC(), false)
	jw.field("status", status, false)
	jw.field("targets", checkNonNil(rep.Targets), false)
	jw.array("results", rep.Results)
	jw.field("health", checkNonNil(rep.Health), false)
	jw.field("lists", checkNonNil(rep.Lists), false)
	jw.field("warnings", checkNonNil(rep.Warnings), true)
	jw.raw("}\n")
	if jw.err != nil {
		return jw.err
	}
	return bw.Flush()
}

// jsonWriter writes an indented JSON object field by field, keeping the
// first error.
type jsonWriter struct {
	w   *bufio.Writer
	err error
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

func (j *jsonWriter) value(v any, indent string) {
	if j.err != nil {
		return
	}
	b, err := json.MarshalIndent(v, indent, "  ")
	if err != nil {
		j.err = err
		return
	}
	_, j.err = j.w.Write(b)
}

func (j *jsonWriter) field(name string, v any, last bool) {
	j.raw("  " + strconv.Quote(name) + ": ")
	j.value(v, "  ")
	j.raw(comma(last))
}

func (j *jsonWriter) array(name string, results []dnsbl.Result) {
	j.raw("  " + strconv.Quote(name) + ": [")
	var buf []byte
	for i, r := range results {
		j.raw("\n    ")
		buf = appendResultJSON(buf[:0], r)
		if j.err == nil {
			_, j.err = j.w.Write(buf)
		}
		if i < len(results)-1 {
			j.raw(",")
		}
	}
	if len(results) > 0 {
		j.raw("\n  ")
	}
	j.raw("]" + comma(false))
}

func comma(last bool) string {
	if last {
		return "\n"
	}
	return ",\n"
}

// checkNonNil makes empty arrays "[]" rather than "null" in the JSON.
func checkNonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
