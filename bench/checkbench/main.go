// Command checkbench measures `dnsblaudit check` against dnsperf on the
// same rbldnsd: 4096 addresses x 10 lists, the same A queries for both.
// The reference is the run time dnsperf reports itself (its wall time adds
// a wait for lost queries). Every check must end in a definite verdict that
// matches the zone data: a fast run that lost answers does not count.
//
// Usage (bench/check.sh builds the binary and runs this):
//
//	go run ./bench/checkbench -dnsblaudit ./dnsblaudit [-runs 3]
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/dnsblaudit/dnsblaudit/bench/workload"
	"github.com/dnsblaudit/dnsblaudit/internal/rbldnsdtest"
)

// dnsperfServer is where rbldnsdtest serves (IPv4 loopback).
const dnsperfServer = "127.0.0.1"

// Targets from the issue: within 2x of dnsperf, under 150 MB peak RSS.
const (
	maxRatio  = 2.0
	maxRSSMiB = 150
)

type config struct {
	ours    string
	dnsperf string
	runs    int
	serve   bool
}

func main() {
	var c config
	flag.StringVar(&c.ours, "dnsblaudit", "", "dnsblaudit binary to measure (required)")
	flag.StringVar(&c.dnsperf, "dnsperf", "dnsperf", "dnsperf binary (Debian package dnsperf)")
	flag.IntVar(&c.runs, "runs", 3, "runs of each tool; the medians are compared")
	flag.BoolVar(&c.serve, "serve", false, "only start rbldnsd with the benchmark zones, print the commands, and wait for ^C (for profiling)")
	flag.Parse()
	if (c.ours == "" && !c.serve) || c.runs < 1 {
		fmt.Fprintln(os.Stderr, "checkbench: -dnsblaudit BINARY is required; -runs must be at least 1")
		os.Exit(2)
	}
	ok, err := run(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, "checkbench:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// run starts rbldnsd, alternates dnsperf and dnsblaudit runs, and reports.
func run(c config) (bool, error) {
	if _, err := exec.LookPath(c.dnsperf); err != nil && !c.serve {
		return false, fmt.Errorf("%s not found (Debian package dnsperf): %w", c.dnsperf, err)
	}
	w := workload.New()
	zones := w.RbldnsdZones()
	srv, err := rbldnsdtest.Start(context.Background(), rbldnsdtest.Options{CheckInterval: time.Hour}, zones...)
	if err != nil {
		return false, err
	}
	defer srv.Close()
	tmp, err := os.MkdirTemp("", "checkbench-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	input := filepath.Join(tmp, "queries.txt")
	if err := os.WriteFile(input, []byte(w.DnsperfInput()), 0o644); err != nil {
		return false, err
	}
	args := oursArgs(w, srv.Addr())
	if c.serve {
		return serve(srv, dnsperfCommand(c.dnsperf, srv.Port(), input), command(cmp.Or(c.ours, "dnsblaudit"), args))
	}
	rep := report{w: w, server: srv.Addr(), dnsperfCmd: dnsperfCommand(c.dnsperf, srv.Port(), input), oursCmd: command(c.ours, args)}
	for i := range c.runs {
		fmt.Fprintf(os.Stderr, "run %d/%d...\n", i+1, c.runs)
		d, err := runDnsperf(c.dnsperf, dnsperfServer, srv.Port(), input)
		if err != nil {
			return false, err
		}
		o, err := runOurs(c.ours, args)
		if err != nil {
			return false, err
		}
		rep.add(d, o)
	}
	return rep.print(os.Stdout), nil
}

// serve keeps rbldnsd running until interrupted.
func serve(srv *rbldnsdtest.Server, cmds ...string) (bool, error) {
	fmt.Printf("rbldnsd (pid %d) serving the benchmark zones on %s; ^C to stop\n", srv.Pid(), srv.Addr())
	for _, c := range cmds {
		fmt.Println(" ", c)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	return true, nil
}

// oursArgs checks the whole /20 against the ten zones through rbldnsd.
func oursArgs(w *workload.Workload, server string) []string {
	args := []string{"--format", "json", "check", "--resolver", server}
	for _, z := range w.Zones {
		args = append(args, "--zone", z)
	}
	return append(args, workload.Network)
}
