package evidence

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSortRotated(t *testing.T) {
	got := []string{"maillog", "maillog.1", "maillog.10", "maillog.2.gz", "maillog.9", "spamd.log", "spamd.log.1.bz2"}
	sortRotated(got)
	want := []string{"maillog.10", "maillog.9", "maillog.2.gz", "maillog.1", "maillog", "spamd.log.1.bz2", "spamd.log"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// A session cut in two by a rotation (connect in maillog.1, its RCPT and
// disconnect in maillog) gives the probers of the whole file.
func TestRotationSplitKeepsSessions(t *testing.T) {
	whole, err := os.ReadFile("testdata/03-postfix.log")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(whole), "\n")
	cut := 1 // after the first connect line: mid-session
	dir := t.TempDir()
	write := func(name string, ls []string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(ls, "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("maillog.1", lines[:cut])
	write("maillog", lines[cut:])
	write("whole", lines)
	scan := func(in string) []string {
		o := ScanOptions{Inputs: []string{in}, Domains: []string{"victim.test"}, OwnNetworks: []string{"10.0.0.0/8"},
			Zone: time.UTC, YearReference: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
		rep, err := Scan(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range rep.Probers {
			out = append(out, p.IP+" "+p.Rule+" "+strings.Join(p.ProbedAddresses, ","))
		}
		return out
	}
	a, b := scan(filepath.Join(dir, "whole")), scan(filepath.Join(dir, "maillog*"))
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Errorf("whole file %v\nrotated %v", a, b)
	}
}

// A log from January to August, written in August: the August lines are
// this year, not last year, and the long gap is warned about.
func TestYearAcrossALongForwardGap(t *testing.T) {
	log := "Jan  5 10:00:00 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]\n" +
		"Jan  5 10:00:01 mx postfix/smtpd[1]: disconnect from unknown[192.0.2.1] ehlo=1 quit=1 commands=2\n" +
		"Aug 10 10:00:00 mx postfix/smtpd[2]: connect from unknown[192.0.2.2]\n" +
		"Aug 10 10:00:01 mx postfix/smtpd[2]: disconnect from unknown[192.0.2.2] ehlo=1 quit=1 commands=2\n"
	o := scanOpts("-")
	o.Stdin = strings.NewReader(log)
	o.YearReference = time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC)
	rep, err := Scan(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Span.First.Year() != 2026 || rep.Span.Last.Year() != 2026 || rep.Span.Last.Month() != time.August {
		t.Errorf("span %v – %v, want January to August 2026", rep.Span.First, rep.Span.Last)
	}
	if len(rep.Stats.Warnings) != 1 || !strings.Contains(rep.Stats.Warnings[0], "gap of 7 months") {
		t.Errorf("warnings %q, want one about the gap", rep.Stats.Warnings)
	}
}
