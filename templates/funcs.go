package templates

import (
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/dnsblaudit/dnsblaudit/evidence"
	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// funcMap returns the helper functions, with tz and day bound to zone;
// docs/notify.md lists them.
func funcMap(zone *time.Location) template.FuncMap {
	if zone == nil {
		zone = time.UTC
	}
	return template.FuncMap{
		"tz":           func(t any) (string, error) { return formatIn(t, zone, stampLayout) },
		"day":          func(t any) (string, error) { return formatIn(t, zone, "2006-01-02") },
		"utc":          func(t any) (string, error) { return formatIn(t, time.UTC, stampLayout) },
		"epoch":        epochOf,
		"count":        count,
		"plural":       plural,
		"list":         list,
		"join":         join,
		"bullets":      bullets,
		"indent":       indent,
		"wrap":         func(width int, s string) string { return Wrap(s, width) },
		"safe":         textsafe.Line,
		"sanitise":     textsafe.Line,
		"excerpt":      excerpt,
		"lines":        proberLines,
		"names":        proberNames,
		"epochs":       proberEpochs,
		"totalProbes":  totalProbes,
		"addresses":    probedAddresses,
		"network":      network,
		"has":          func(list []string, s string) bool { return slices.Contains(list, s) },
		"ips":          proberIPs,
		"split":        splitBy,
		"duration":     duration,
		"linksOf":      linksOf,
		"addressLinks": addressLinks,
		"randomLinks":  randomLinks,
		"provenance":   provenance,
		"registry":     registryName,
		"add":          func(a, b int) int { return a + b },
		"sub":          func(a, b int) int { return a - b },
		"upper":        strings.ToUpper,
		"lower":        strings.ToLower,
	}
}

// stampLayout puts the numeric offset next to every time, as RFC 6650
// asks of abuse reports; the zone's abbreviation follows when it has one.
const stampLayout = "2006-01-02 15:04:05 -0700"

func formatIn(v any, zone *time.Location, layout string) (string, error) {
	t, err := asTime(v)
	if err != nil {
		return "", err
	}
	if t.IsZero() {
		return "(unknown time)", nil
	}
	t = t.In(zone)
	s := t.Format(layout)
	if layout == stampLayout {
		if abbr := t.Format("MST"); abbr[0] != '+' && abbr[0] != '-' {
			s += " " + abbr
		}
	}
	return s, nil
}

func asTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case *time.Time:
		if t == nil {
			return time.Time{}, nil
		}
		return *t, nil
	default:
		return time.Time{}, fmt.Errorf("want a time, got %T", v)
	}
}

// epochOf is the Unix time of t, as it appears inside an Exim random
// callout local part ($tod_epoch).
func epochOf(v any) (string, error) {
	t, err := asTime(v)
	if err != nil || t.IsZero() {
		return "", err
	}
	return strconv.FormatInt(t.Unix(), 10), nil
}

// count is "1 probe", "2 probes", "3 addresses".
func count(n int, singular string) string {
	return strconv.Itoa(n) + " " + plural(n, singular)
}

// plural is the English plural of singular unless n is 1; an explicit
// plural form may follow for irregular words.
func plural(n int, singular string, forms ...string) string {
	if n == 1 {
		return singular
	}
	if len(forms) > 0 {
		return forms[0]
	}
	switch {
	case strings.HasSuffix(singular, "s"), strings.HasSuffix(singular, "x"),
		strings.HasSuffix(singular, "ch"), strings.HasSuffix(singular, "sh"):
		return singular + "es"
	case strings.HasSuffix(singular, "y") && len(singular) > 1 && !strings.ContainsRune("aeiou", rune(singular[len(singular)-2])):
		return singular[:len(singular)-1] + "ies"
	}
	return singular + "s"
}

// list is "a", "a and b", "a, b and c".
func list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func join(sep string, items []string) string { return strings.Join(items, sep) }

// bullets puts each item on its own indented line.
func bullets(items []string) string {
	var b strings.Builder
	for i, it := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("    " + it)
	}
	return b.String()
}

func indent(n int, s string) string {
	pad := strings.Repeat(" ", n)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad)
}

// excerpt prints raw log lines indented, so Wrap keeps them whole; with
// max > 0 only the first max lines are shown and the rest are counted.
// A line repeated word for word right after itself (the same spamdb entry
// in every hourly dump) is printed once, followed by how often and where
// it recurs: four identical lines in a row read as a copying mistake.
func excerpt(max int, lines []evidence.Line) string {
	var b strings.Builder
	shown := 0
	for i := 0; i < len(lines); {
		j := i + 1
		for j < len(lines) && lines[j].Raw == lines[i].Raw {
			j++
		}
		if max > 0 && shown == max {
			fmt.Fprintf(&b, "    [%s not shown]\n", count(len(lines)-i, "more line"))
			break
		}
		b.WriteString("    " + textsafe.Line(lines[i].Raw) + "\n")
		if j > i+1 {
			b.WriteString("    [" + repeated(lines[i], lines[i+1:j]) + "]\n")
		}
		shown++
		i = j
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// repeated says how often the line first recurs, and in which files when
// each repeat is in a file of its own (their base names: a dump's name carries
// the hour it was taken).
func repeated(first evidence.Line, again []evidence.Line) string {
	var files []string
	for _, l := range again {
		if f := filepath.Base(l.File); l.File != "" && l.File != first.File && !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	if len(files) != len(again) {
		return "the same line " + count(len(again), "more time")
	}
	if len(files) > 3 {
		files = append(files[:3], count(len(files)-3, "more file"))
	}
	return "the same line again in " + textsafe.Line(list(files))
}

// proberLines is every raw line of a prober's probes, in time order, each
// once even when two probes share a line.
func proberLines(p evidence.Prober) []evidence.Line {
	type at struct {
		file string
		line int
		raw  string
	}
	seen := map[at]bool{}
	var out []evidence.Line
	for _, e := range p.Events {
		for _, l := range e.Lines {
			k := at{l.File, l.Line, l.Raw}
			if !seen[k] {
				seen[k] = true
				out = append(out, l)
			}
		}
	}
	return out
}

// proberNames is the names a prober used or resolved to: HELO names first,
// then reverse names, each once.
func proberNames(p evidence.Prober) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append(append([]string{}, p.HeloNames...), p.ReverseNames...) {
		if n != "" && !seen[strings.ToLower(n)] {
			seen[strings.ToLower(n)] = true
			out = append(out, n)
		}
	}
	return out
}

// proberEpochs is the distinct prober clock times decoded from its probe
// addresses, in order.
func proberEpochs(p evidence.Prober) []time.Time {
	seen := map[int64]bool{}
	var out []time.Time
	for _, e := range p.Events {
		if e.Epoch != nil && !seen[e.Epoch.Unix()] {
			seen[e.Epoch.Unix()] = true
			out = append(out, *e.Epoch)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func totalProbes(ps []evidence.Prober) int {
	n := 0
	for _, p := range ps {
		n += p.Probes
	}
	return n
}

// probedAddresses is every address the probers asked about, sorted, once.
func probedAddresses(ps []evidence.Prober) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range ps {
		for _, a := range p.ProbedAddresses {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	sort.Strings(out)
	return out
}

// network is the customary allocation around ip: its /24 (IPv4) or /48
// (IPv6), or ip itself when it does not parse.
func network(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	bits := 48
	if a.Is4() || a.Is4In6() {
		a, bits = a.Unmap(), 24
	}
	p, err := a.Prefix(bits)
	if err != nil {
		return ip
	}
	return p.String()
}

// duration is a number of seconds as Go prints durations: "37s", "2m5s".
func duration(seconds float64) string {
	return time.Duration(seconds * float64(time.Second)).Round(time.Second).String()
}

// linksOf keeps the campaign links of one prober.
func linksOf(ip string, links []evidence.Link) []evidence.Link {
	var out []evidence.Link
	for _, l := range links {
		if l.ProberIP == ip {
			out = append(out, l)
		}
	}
	return out
}

// matchDomain is evidence.Link.Match for an Exim random probe tied to a
// forged address of the same domain by time alone (evidence/campaign.go).
const matchDomain = "domain"

// addressLinks keeps the links whose probe asked for the forged address
// itself (Match "address", or no Match in evidence written before it
// existed): only of these may a notice say the host "asked about" it.
func addressLinks(links []evidence.Link) []evidence.Link {
	var out []evidence.Link
	for _, l := range links {
		if l.Match != matchDomain {
			out = append(out, l)
		}
	}
	return out
}

// randomLinks keeps, for each probe of an Exim random address (Match
// "domain"), the one forged use of the same domain nearest before it. Such
// a probe names no sender, so the evidence is the timing alone; the other
// candidates, further back, would only add guesses. Links dated after
// their probe are dropped: "came after" must be true.
func randomLinks(links []evidence.Link) []evidence.Link {
	type probe struct {
		ip string
		at time.Time
	}
	best := map[probe]int{}
	var order []probe
	for i, l := range links {
		if l.Match != matchDomain || l.DelaySec < 0 {
			continue
		}
		k := probe{l.ProberIP, l.ProbedAt.UTC()}
		j, ok := best[k]
		if !ok {
			order = append(order, k)
		}
		if !ok || l.DelaySec < links[j].DelaySec {
			best[k] = i
		}
	}
	out := make([]evidence.Link, len(order))
	for i, k := range order {
		out[i] = links[best[k]]
	}
	return out
}

// registryName is how a registry calls itself, for "as registered at":
// whoisctx keeps the short lower-case identifiers (ripencc), which a
// reader outside this tool would not recognise.
func registryName(id string) string {
	switch strings.ToLower(id) {
	case "arin":
		return "ARIN"
	case "ripencc", "ripe":
		return "RIPE NCC"
	case "apnic":
		return "APNIC"
	case "lacnic":
		return "LACNIC"
	case "afrinic":
		return "AFRINIC"
	}
	return id
}

// provenance says, in a clause, why a contact was chosen for about (e.g.
// "the host below"): "the RDAP record at rdap.arin.net lists it as the
// abuse contact for the network of the host below".
func provenance(c whoisctx.Contact, about string) string {
	if c.Source == "rfc2142-guess" {
		return "abuse@ is the mailbox RFC 2142 reserves for reports about the domain of " + about
	}
	var who string
	switch c.Source {
	case "rdap":
		who = "the RDAP record"
	case "whois":
		who = "the WHOIS record"
	case "abusix":
		who = "the Abusix abuse contact database"
	case "abuse.net":
		who = "the abuse.net contact database"
	case "cymru":
		who = "Team Cymru's data"
	case "":
		who = "a registry record"
	default:
		who = "the " + c.Source + " record"
	}
	if c.Server != "" && !loopback(c.Server) {
		who += " at " + c.Server
	}
	switch c.Role {
	case whoisctx.RoleNetwork:
		return who + " lists it as the abuse contact for the network of " + about
	case whoisctx.RoleDomain:
		return who + " lists it as the abuse contact for the domain of " + about
	case whoisctx.RoleRegistrar:
		return who + " lists it as the abuse contact of the registrar of the domain of " + about
	}
	return who + " lists it as the abuse contact for " + about
}

// loopback reports whether a server (host or host:port) is on this
// machine: a local WHOIS cache or proxy, or the demo's fake registry. Its
// address means nothing to the reader, who could not query it.
func loopback(server string) bool {
	host := server
	if h, _, err := net.SplitHostPort(server); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// proberIPs are the IPs of probers, in their order.
func proberIPs(ps []evidence.Prober) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.IP
	}
	return out
}

// splitBy returns the items of all that are in set, then those that are
// not: [in, out].
func splitBy(set, all []string) [2][]string {
	var r [2][]string
	for _, a := range all {
		if slices.Contains(set, a) {
			r[0] = append(r[0], a)
		} else {
			r[1] = append(r[1], a)
		}
	}
	return r
}
