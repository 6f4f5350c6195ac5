package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/bench/workload"
)

// maxProblems bounds the failures listed.
const maxProblems = 30

// report collects the runs and judges them against the targets.
type report struct {
	w          *workload.Workload
	server     string
	dnsperfCmd string
	oursCmd    string
	dnsperf    []dnsperfResult
	ours       []oursResult
}

func (r *report) add(d dnsperfResult, o oursResult) {
	r.dnsperf = append(r.dnsperf, d)
	r.ours = append(r.ours, o)
}

// print writes the table and the verdict and says whether every target
// was met.
func (r *report) print(out io.Writer) bool {
	fmt.Fprintf(out, "dnsblaudit check vs dnsperf: %d addresses (%s) x %d lists = %d checks, rbldnsd on %s\n",
		len(r.w.Addrs), workload.Network, len(r.w.Zones), r.w.Checks(), r.server)
	fmt.Fprintf(out, "machine: %s\n\n", machine())
	fmt.Fprintf(out, "%-4s %-17s %-12s %-13s %-16s %-15s %-10s %s\n",
		"run", "dnsperf run time", "dnsperf cpu", "dnsperf lost", "dnsblaudit wall", "dnsblaudit cpu", "peak RSS", "verdicts")
	var problems []string
	for i := range r.ours {
		d, o := r.dnsperf[i], r.ours[i]
		fmt.Fprintf(out, "%-4d %-17s %-12s %-13d %-16s %-15s %-10s %s\n",
			i+1, secs(d.runTime), secs(d.cpu), d.lost, secs(o.wall), secs(o.cpu), mib(o.maxRSS), o.summary())
		problems = append(problems, r.check(i+1, o)...)
	}
	dp := median(r.dnsperf, func(d dnsperfResult) time.Duration { return d.runTime })
	ow := median(r.ours, func(o oursResult) time.Duration { return o.wall })
	ratio := float64(ow) / float64(dp)
	dc := median(r.dnsperf, func(d dnsperfResult) time.Duration { return d.cpu })
	oc := median(r.ours, func(o oursResult) time.Duration { return o.cpu })
	var rss int64
	for _, o := range r.ours {
		rss = max(rss, o.maxRSS)
	}
	fmt.Fprintf(out, "\nmedian: dnsperf %s (%.0f q/s), dnsblaudit %s; ratio %.2fx (target <= %.0fx); peak RSS %s (target < %d MiB)\n",
		secs(dp), float64(r.w.Checks())/dp.Seconds(), secs(ow), ratio, maxRatio, mib(rss), maxRSSMiB)
	dmin := minimum(r.dnsperf, func(d dnsperfResult) time.Duration { return d.runTime })
	omin := minimum(r.ours, func(o oursResult) time.Duration { return o.wall })
	fmt.Fprintf(out, "best runs (what the code can do when nothing else runs): dnsperf %s, dnsblaudit %s; ratio %.2fx\n",
		secs(dmin), secs(omin), float64(omin)/float64(dmin))
	fmt.Fprintf(out, "cpu time (user+sys, less sensitive to a busy machine): dnsperf %s, dnsblaudit %s; ratio %.2fx\n",
		secs(dc), secs(oc), float64(oc)/float64(dc))
	if ratio > maxRatio {
		problems = append(problems, fmt.Sprintf("ratio %.2fx above %.0fx", ratio, maxRatio))
	}
	if rss >= maxRSSMiB<<20 {
		problems = append(problems, fmt.Sprintf("peak RSS %s at or above %d MiB", mib(rss), maxRSSMiB))
	}
	fmt.Fprintf(out, "\ncommands:\n  %s\n  %s\n\n", r.dnsperfCmd, r.oursCmd)
	if len(problems) > 0 {
		if len(problems) > maxProblems {
			problems = append(problems[:maxProblems], fmt.Sprintf("... and %d more", len(problems)-maxProblems))
		}
		fmt.Fprintf(out, "FAIL:\n  %s\n", strings.Join(problems, "\n  "))
		return false
	}
	fmt.Fprintln(out, "PASS: every check has the verdict its zone data says; all targets met")
	return true
}

// check compares a run's verdicts with the zone data: each list must say
// listed exactly for the addresses it lists and not_listed for the rest.
func (r *report) check(run int, o oursResult) []string {
	var p []string
	if o.total != r.w.Checks() {
		p = append(p, fmt.Sprintf("run %d: %d results, want %d", run, o.total, r.w.Checks()))
	}
	for _, z := range r.w.Zones {
		want := map[string]int{"listed": r.w.Listed(z), "not_listed": len(r.w.Addrs) - r.w.Listed(z)}
		got := o.verdicts[z]
		for _, v := range verdictNames(want, got) {
			if got[v] != want[v] {
				p = append(p, fmt.Sprintf("run %d: %s: %d %s, want %d", run, z, got[v], v, want[v]))
			}
		}
	}
	return p
}

// verdictNames is the sorted union of the maps' keys.
func verdictNames(ms ...map[string]int) []string {
	var names []string
	for _, m := range ms {
		for k := range m {
			if !slices.Contains(names, k) {
				names = append(names, k)
			}
		}
	}
	slices.Sort(names)
	return names
}

// summary counts verdicts over all zones.
func (o oursResult) summary() string {
	totals := map[string]int{}
	for _, vs := range o.verdicts {
		for v, n := range vs {
			totals[v] += n
		}
	}
	parts := make([]string, 0, len(totals))
	for _, k := range verdictNames(totals) {
		parts = append(parts, fmt.Sprintf("%s %d", k, totals[k]))
	}
	return strings.Join(parts, ", ")
}

func median[T any](xs []T, f func(T) time.Duration) time.Duration {
	ds := make([]time.Duration, len(xs))
	for i, x := range xs {
		ds[i] = f(x)
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func minimum[T any](xs []T, f func(T) time.Duration) time.Duration {
	m := f(xs[0])
	for _, x := range xs[1:] {
		m = min(m, f(x))
	}
	return m
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// machine describes where the figures were taken: CPU count and load.
func machine() string {
	load, _ := os.ReadFile("/proc/loadavg")
	return fmt.Sprintf("%d CPUs, load average %s", runtime.NumCPU(), strings.TrimSpace(string(load)))
}

// command renders a command line for the report.
func command(bin string, args []string) string {
	q := make([]string, 0, len(args)+1)
	for _, a := range append([]string{bin}, args...) {
		if strings.ContainsAny(a, " \t'\"$") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q = append(q, a)
	}
	return strings.Join(q, " ")
}

func dnsperfCommand(bin string, port int, input string) string {
	return command(bin, dnsperfArgs(dnsperfServer, port, input))
}
