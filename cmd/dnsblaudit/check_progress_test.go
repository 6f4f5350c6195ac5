package main

import (
	"bytes"
	"strings"
	"testing"
)

// The bar only draws on a terminal and for long runs; a pipe or a file
// gets nothing, so scripts that capture stderr see only real messages.
func TestCheckProgressOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newCheckProgress(&buf, "text", false) // a buffer is not a terminal
	p.update(600, 1000)
	p.finish()
	if buf.Len() != 0 {
		t.Fatalf("progress drawn on a non-terminal: %q", buf.String())
	}
}

func TestCheckProgressLongRunDraws(t *testing.T) {
	var buf bytes.Buffer
	p := &checkProgress{w: &buf, enabled: true} // as on a terminal
	for done := 0; done <= 1000; done += 250 {
		p.update(done, 1000)
	}
	p.finish()
	if out := buf.String(); !strings.Contains(out, "checking") || !strings.Contains(out, "1000") {
		t.Fatalf("no bar with description and count: %q", out)
	}
}

func TestCheckProgressShortRunQuiet(t *testing.T) {
	var buf bytes.Buffer
	p := &checkProgress{w: &buf, enabled: true}
	p.update(10, progressMinLookups-1)
	p.finish()
	if buf.Len() != 0 {
		t.Fatalf("bar drawn for a short run: %q", buf.String())
	}
}

func TestCheckProgressOffForNagios(t *testing.T) {
	if p := newCheckProgress(&bytes.Buffer{}, "nagios", false); p.enabled {
		t.Fatal("progress enabled for nagios output")
	}
}
