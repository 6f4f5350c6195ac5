package evidence

import (
	"slices"
	"strings"
)

// maxClients caps the clients remembered per forged or bounced address.
const maxClients = 1000

// clientSet holds the distinct client IPs of one address, kept sorted as
// they come: a binary search tells whether one is known, and the report
// copies the list instead of sorting it. Sorting every address's clients
// at the end (121 on average for the 600 MB log's forged addresses) was
// the largest part of the report, which runs after the pipeline, alone.
// Before that, a map per address cost the assembler more than the
// comparisons (its allocation and growth, a cache miss per use).
type clientSet struct {
	list []string
}

// add remembers ip (copied: the read buffer it points into is reused)
// unless it is already there or maxClients are.
func (s *clientSet) add(ip string) {
	if len(s.list) >= maxClients {
		return
	}
	i, found := slices.BinarySearch(s.list, ip)
	if found {
		return
	}
	s.list = slices.Insert(s.list, i, strings.Clone(ip))
}

// sorted returns the clients sorted, never nil (the report's JSON has
// "clients": [] for an address used only locally). It is the set's own
// list, not a copy: the report asks once, at the end, when nothing is
// added any more (a copy doubled the largest part of the report's
// memory after the evidence lines: 4.6 MB for a 2 GB log).
func (s *clientSet) sorted() []string {
	if s.list == nil {
		return []string{}
	}
	return s.list
}
