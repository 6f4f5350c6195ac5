package dnsbl

// listsUsed marks the lists the jobs will query: a job on a list that
// does not answer its family sends nothing.
func (c *Checker) listsUsed(jobs []job) []bool {
	used := make([]bool, len(c.lists))
	for _, j := range jobs {
		if !j.unchecked {
			used[j.list.index] = true
		}
	}
	return used
}

// keepUsed drops the health of lists the run did not query.
func keepUsed(health []Health, used []bool) []Health {
	out := make([]Health, 0, len(health))
	for i, h := range health {
		if used[i] {
			out = append(out, h)
		}
	}
	return out
}

// deadFor returns the dead lists the run would have queried (by target
// kind and family): a dead domain list is no news to an IP-only check.
func (c *Checker) deadFor(jobs []job) []List {
	var domains, v4, v6 bool
	for _, j := range jobs {
		switch {
		case j.domain:
			domains = true
		case j.addr.Is4() || j.addr.Is4In6():
			v4 = true
		default:
			v6 = true
		}
	}
	var out []List
	for _, d := range c.dead {
		switch d.Kind {
		case KindDomain:
			if domains {
				out = append(out, d)
			}
		case KindIPv6:
			if v6 {
				out = append(out, d)
			}
		case KindBoth:
			if v4 || v6 {
				out = append(out, d)
			}
		default:
			if v4 {
				out = append(out, d)
			}
		}
	}
	return out
}
