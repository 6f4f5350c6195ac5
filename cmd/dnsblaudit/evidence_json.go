package main

import (
	"bufio"
	"io"

	"github.com/dnsblaudit/dnsblaudit/evidence"
)

// writeEvidenceJSON writes the report as json.Encoder with SetIndent("",
// "  ") would, byte for byte, but one array element at a time (probers,
// suspects, and the campaign's forged senders, backscatter and links): the
// encoder builds the whole document in memory before writing it, which
// for a large report doubled the scan's peak. On the 600 MB benchmark log
// the campaign alone is 12 MB of JSON, most of it backscatter.
func writeEvidenceJSON(w io.Writer, rep *evidence.Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	c := &rep.Campaign
	campaign := jsonObject{
		{name: "forged_senders", v: jsonArray[evidence.ForgedSender](c.ForgedSenders)},
		{name: "backscatter", v: jsonArray[evidence.ForgedSender](c.Backscatter)},
		{name: "links", v: jsonArray[evidence.Link](c.Links)},
		{name: "linked_probe_count", v: c.LinkedProbes},
		{name: "omitted_links", v: c.OmittedLinks},
	}
	doc := jsonObject{
		{name: "domains", v: rep.Domains},
		{name: "since", v: rep.Since, skip: rep.Since == nil},
		{name: "until", v: rep.Until, skip: rep.Until == nil},
		{name: "span", v: rep.Span},
		{name: "probers", v: jsonArray[evidence.Prober](rep.Probers)},
		{name: "suspects", v: jsonArray[evidence.Suspect](rep.Suspects)},
		{name: "campaign", v: campaign},
		{name: "stats", v: rep.Stats},
	}
	if err := doc.write(bw, ""); err != nil {
		return err
	}
	bw.WriteString("\n")
	return bw.Flush()
}
