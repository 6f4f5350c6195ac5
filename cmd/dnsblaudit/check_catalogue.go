package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/dnsblaudit/dnsblaudit/dnsbl"
)

// printCatalogue lists the built-in lists: name, zone, kind, whether on by
// default, and for dead ones when they died.
func printCatalogue(w io.Writer, cat *dnsbl.Catalogue) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tZONE\tKIND\tDEFAULT\tNOTES")
	for _, l := range cat.Lists() {
		state := "on"
		if l.Disabled {
			state = "off"
		}
		note := l.Description
		if l.Dead != "" {
			state, note = "dead", fmt.Sprintf("dead since %s: %s", l.Dead, l.DeadReason)
		}
		if l.RequiresRegistration {
			note += " (requires registration)"
		}
		kind := l.Kind
		if kind == "" {
			kind = dnsbl.KindIPv4
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Name, l.Zone, kind, state, note)
	}
	return tw.Flush()
}
