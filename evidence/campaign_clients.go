package evidence

import (
	"sort"
	"strings"
)

// maxClients caps the clients remembered per forged or bounced address.
const maxClients = 1000

// smallClients is how many clients a clientSet compares one by one before
// it builds an index: most addresses (backscatter above all) have a few
// clients, and a map for each of them cost the assembler more than the
// comparisons (the map's allocation and growth, and a cache miss per use).
const smallClients = 16

// clientSet holds the distinct client IPs of one address, in the order
// first seen; index is built only once there are more than smallClients.
type clientSet struct {
	list  []string
	index map[string]struct{}
}

func (s *clientSet) has(ip string) bool {
	if s.index != nil {
		_, ok := s.index[ip]
		return ok
	}
	for _, c := range s.list {
		if c == ip {
			return true
		}
	}
	return false
}

// add remembers ip (copied: the read buffer it points into is reused)
// unless it is already there or maxClients are.
func (s *clientSet) add(ip string) {
	if len(s.list) >= maxClients || s.has(ip) {
		return
	}
	ip = strings.Clone(ip)
	s.list = append(s.list, ip)
	switch {
	case s.index != nil:
		s.index[ip] = struct{}{}
	case len(s.list) > smallClients:
		s.index = make(map[string]struct{}, 2*len(s.list))
		for _, c := range s.list {
			s.index[c] = struct{}{}
		}
	}
}

// sorted returns the clients sorted, never nil (the report's JSON has
// "clients": [] for an address used only locally).
func (s *clientSet) sorted() []string {
	out := make([]string, len(s.list))
	copy(out, s.list)
	sort.Strings(out)
	return out
}
