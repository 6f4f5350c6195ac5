package main

import (
	"bufio"
	"encoding/json"
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

// streamedJSON is a value that writes itself, indented, at a nesting whose
// lines start with prefix.
type streamedJSON interface {
	write(bw *bufio.Writer, prefix string) error
}

// jsonObject is an object's fields in the order of its struct, each written
// when it comes: a field's own streamedJSON streams, any other value goes
// through json.MarshalIndent. skip stands for omitempty.
type jsonObject []struct {
	name string
	v    any
	skip bool
}

func (o jsonObject) write(bw *bufio.Writer, prefix string) error {
	bw.WriteString("{")
	first := true
	for _, f := range o {
		if f.skip {
			continue
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n" + prefix + "  \"" + f.name + "\": ")
		if err := writeJSONAt(bw, f.v, prefix+"  "); err != nil {
			return err
		}
	}
	bw.WriteString("\n" + prefix + "}")
	return nil
}

// jsonArray writes a slice an element at a time; nil is null, as the
// encoder writes it.
type jsonArray[T any] []T

func (a jsonArray[T]) write(bw *bufio.Writer, prefix string) error {
	if a == nil {
		bw.WriteString("null")
		return nil
	}
	if len(a) == 0 {
		bw.WriteString("[]")
		return nil
	}
	bw.WriteString("[")
	for i := range a {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n" + prefix + "  ")
		if err := writeJSONAt(bw, a[i], prefix+"  "); err != nil {
			return err
		}
	}
	bw.WriteString("\n" + prefix + "]")
	return nil
}

func writeJSONAt(bw *bufio.Writer, v any, prefix string) error {
	if w, ok := v.(streamedJSON); ok {
		return w.write(bw, prefix)
	}
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	_, err = bw.Write(b)
	return err
}
