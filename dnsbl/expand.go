package dnsbl

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
	"golang.org/x/net/publicsuffix"
)

// expand turns targets into jobs: addresses on IP lists of their family,
// names resolved (A and AAAA, through the same resolver) and also checked
// themselves on domain lists.
func (c *Checker) expand(ctx context.Context, targets []Target) plan {
	p := plan{targets: targets, infos: make([]TargetInfo, len(targets))}
	resolved := c.resolveNames(ctx, targets)
	p.jobs = make([]job, 0, c.estimateJobs(targets))
	for ti, t := range targets {
		info := TargetInfo{Input: t.Input, Kind: t.Kind}
		var addrs []netip.Addr
		var domains []string
		switch t.Kind {
		case TargetIP, TargetNetwork:
			addrs = t.Addrs()
		case TargetName:
			res := resolved[ti]
			addrs = res.addrs
			domains = domainsOf(t.Name)
			info.Addresses = addrStrings(addrs)
			info.Domains = domains
			info.Note, info.Error = res.note, res.err
		}
		var unchecked []string
		for _, a := range addrs {
			if !c.addrJobs(&p, ti, a) {
				unchecked = append(unchecked, a.String())
			}
		}
		noteUnchecked(&info, unchecked, len(addrs))
		p.infos[ti] = info
		for _, d := range domains {
			for _, l := range c.lists {
				if l.def.Kind == KindDomain {
					p.jobs = append(p.jobs, job{target: ti, query: d, domain: true, list: l})
				}
			}
		}
	}
	return p
}

// addrJobs adds a's lookups on every IP list, and an unchecked job for
// each IP list that does not answer a's family; it reports whether any
// list covers a.
func (c *Checker) addrJobs(p *plan, ti int, a netip.Addr) bool {
	covered := false
	query := a.String()
	for _, l := range c.lists {
		if l.def.Kind == KindDomain {
			continue
		}
		ok := l.covers(a)
		covered = covered || ok
		p.jobs = append(p.jobs, job{target: ti, query: query, addr: a, list: l, unchecked: !ok})
	}
	return covered
}

// estimateJobs sizes the job list up front: a /20 on ten lists is 40,960
// jobs, and growing the slice by doubling would copy it a dozen times.
func (c *Checker) estimateJobs(targets []Target) int {
	n := 0
	for _, t := range targets {
		switch t.Kind {
		case TargetNetwork:
			n += 1 << (t.Prefix.Addr().BitLen() - t.Prefix.Bits())
		default:
			n += 2
		}
	}
	return n * len(c.lists)
}

type resolution struct {
	addrs []netip.Addr
	note  string
	err   string
}

// resolveNames looks up A and AAAA of every name target concurrently.
func (c *Checker) resolveNames(ctx context.Context, targets []Target) []resolution {
	out := make([]resolution, len(targets))
	sem := make(chan struct{}, c.cfg.Concurrency)
	var wg sync.WaitGroup
	for i, t := range targets {
		if t.Kind != TargetName {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = c.resolveName(ctx, t.Name)
		}()
	}
	wg.Wait()
	return out
}

func (c *Checker) resolveName(ctx context.Context, name string) resolution {
	var res resolution
	nx := 0
	for _, qt := range []uint16{dns.TypeA, dns.TypeAAAA} {
		start := time.Now()
		m, tries, cached, err := c.look.lookup(ctx, dns.Fqdn(name), qt, c.servers, nil)
		c.observe(QueryEvent{Type: dns.TypeToString[qt], Duration: time.Since(start), Tries: tries, Cached: cached, Err: err, Rcode: rcodeOf(m)})
		if err != nil {
			res.err = "resolving " + name + " (" + dns.TypeToString[qt] + "): " + err.Error()
			continue
		}
		if m.Rcode == dns.RcodeNameError {
			nx++
		}
		res.addrs = append(res.addrs, addressRecords(m, dns.Fqdn(name), qt)...)
	}
	switch {
	case res.err != "":
	case nx == 2:
		res.note = "no such name (NXDOMAIN): checked on domain lists only"
	case len(res.addrs) == 0:
		res.note = "no A or AAAA record: checked on domain lists only"
	}
	return res
}

// addressRecords returns the A or AAAA records answering name, following
// CNAMEs.
func addressRecords(m *dns.Msg, name string, qt uint16) []netip.Addr {
	if qt == dns.TypeA {
		return aRecords(m, name)
	}
	names := answerNames(m, name)
	var out []netip.Addr
	for _, rr := range m.Answer {
		if a, ok := rr.(*dns.AAAA); ok && names[strings.ToLower(a.Hdr.Name)] {
			if addr, ok := netip.AddrFromSlice(a.AAAA); ok {
				out = append(out, addr)
			}
		}
	}
	return out
}

// noteUnchecked tells the user about addresses no selected list covers
// (an IPv6 address when only IPv4 lists are selected): silence would read
// as "clean". An IP or network target with nothing checked cannot be
// checked at all; a name keeps the addresses that were checked.
func noteUnchecked(info *TargetInfo, unchecked []string, total int) {
	if len(unchecked) == 0 {
		return
	}
	msg := "no selected list covers " + unchecked[0]
	if len(unchecked) > 1 {
		msg = fmt.Sprintf("no selected list covers %d of its addresses (%s, ...)", len(unchecked), unchecked[0])
	}
	if info.Kind != TargetName && len(unchecked) == total {
		kind := KindIPv4
		if a, err := netip.ParseAddr(unchecked[0]); err == nil && a.Is6() && !a.Is4In6() {
			kind = KindIPv6
		}
		info.Error = fmt.Sprintf("%s: select a list of kind %s or both (--zone ZONE:%s)", msg, kind, kind)
		return
	}
	if info.Note != "" {
		info.Note += "; "
	}
	info.Note += msg
}

// domainsOf returns name and, when different, its registered domain
// (publicsuffix): a domain list may list example.org but not
// mail.example.org.
func domainsOf(name string) []string {
	out := []string{name}
	if reg, err := publicsuffix.EffectiveTLDPlusOne(name); err == nil && reg != name {
		out = append(out, reg)
	}
	return out
}
