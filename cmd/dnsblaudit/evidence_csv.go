package main

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// csvHeader is the timeline's columns: one row per probe, per forged
// sender and backscatter address (at first sight, with its count), and per
// probe–forgery link.
var csvHeader = []string{"time", "event", "kind", "confidence", "ip", "helo", "reverse_name", "sender", "recipients", "count", "delay_seconds", "file", "line"}

type csvRow struct {
	t    time.Time
	cols []string
}

func writeEvidenceCSV(w io.Writer, rep *evidence.Report) error {
	var rows []csvRow
	for _, p := range rep.Probers {
		for _, e := range p.Events {
			file, line := firstEvidence(e.Lines)
			rows = append(rows, csvRow{e.Time, []string{"probe", e.Kind, strconv.FormatFloat(e.Confidence, 'f', 2, 64), e.IP, e.Helo, e.Name, e.Sender, strings.Join(e.Recipients, " "), "1", "", file, line}})
		}
	}
	for _, f := range rep.Campaign.ForgedSenders {
		rows = append(rows, addrRow("forged-sender", f))
	}
	for _, f := range rep.Campaign.Backscatter {
		rows = append(rows, addrRow("backscatter", f))
	}
	for _, l := range rep.Campaign.Links {
		rows = append(rows, csvRow{l.ProbedAt, []string{"link", l.Match, "", l.ProberIP, "", "", "", l.Address, "", strconv.FormatFloat(l.DelaySec, 'f', 0, 64), "", ""}})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].t.Before(rows[j].t) })
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, r := range rows {
		rec := append([]string{r.t.Format(time.RFC3339Nano)}, r.cols...)
		for i := range rec {
			rec[i] = csvCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func addrRow(event string, f evidence.ForgedSender) csvRow {
	file, line := firstEvidence(f.Lines)
	return csvRow{f.FirstSeen, []string{event, "", "", strings.Join(f.Clients, " "), "", "", f.Address, "", strconv.Itoa(f.Count), "", file, line}}
}

func firstEvidence(lines []evidence.Line) (string, string) {
	if len(lines) == 0 {
		return "", ""
	}
	return lines[0].File, strconv.Itoa(lines[0].Line)
}

// csvCell makes log data safe for a spreadsheet: control characters are
// neutralised, and a cell that a spreadsheet would run as a formula
// (=, +, -, @ first) is prefixed with an apostrophe (OWASP CSV injection).
func csvCell(s string) string {
	s = textsafe.Line(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return "'" + s
		}
	}
	return s
}
