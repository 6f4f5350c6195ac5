package main

import (
	"bufio"
	"io"

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
	doc := jsonObject{
		{name: "schema", v: checkSchema},
		{name: "started", v: rep.Started.UTC()},
		{name: "finished", v: rep.Finished.UTC()},
		{name: "status", v: status},
		{name: "targets", v: checkNonNil(rep.Targets)},
		{name: "results", v: checkResultsJSON(rep.Results)},
		{name: "health", v: checkNonNil(rep.Health)},
		{name: "lists", v: checkNonNil(rep.Lists)},
		{name: "warnings", v: checkNonNil(rep.Warnings)},
	}
	if err := doc.write(bw, ""); err != nil {
		return err
	}
	bw.WriteString("\n")
	return bw.Flush()
}

// checkResultsJSON is the results array, written through appendResultJSON
// rather than reflection; that writes a result at the document's second
// level only, which is where the results are. Empty is "[]", not null.
type checkResultsJSON []dnsbl.Result

func (a checkResultsJSON) write(bw *bufio.Writer, prefix string) error {
	bw.WriteString("[")
	var buf []byte
	for i, r := range a {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n" + prefix + "  ")
		buf = appendResultJSON(buf[:0], r)
		bw.Write(buf)
	}
	if len(a) > 0 {
		bw.WriteString("\n" + prefix)
	}
	bw.WriteString("]")
	return nil
}

// checkNonNil makes empty arrays "[]" rather than "null" in the JSON.
func checkNonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
