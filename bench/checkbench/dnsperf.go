package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"time"
)

// dnsperfResult is what dnsperf reports about one run.
type dnsperfResult struct {
	runTime   time.Duration // its own "Run time (s)", excluding the lost-query wait
	wall      time.Duration
	cpu       time.Duration // user + system, from the child's rusage
	completed int
	lost      int
	qps       float64
}

var (
	reRunTime   = regexp.MustCompile(`Run time \(s\):\s+([0-9.]+)`)
	reCompleted = regexp.MustCompile(`Queries completed:\s+(\d+)`)
	reLost      = regexp.MustCompile(`Queries lost:\s+(\d+)`)
	reQPS       = regexp.MustCompile(`Queries per second:\s+([0-9.]+)`)
)

// dnsperfArgs sends the input file once at dnsperf's default settings
// (100 queries outstanding, one client); the report prints the same line.
func dnsperfArgs(server string, port int, input string) []string {
	return []string{"-s", server, "-p", strconv.Itoa(port), "-d", input, "-n", "1"}
}

// runDnsperf runs dnsperf with dnsperfArgs.
func runDnsperf(bin, server string, port int, input string) (dnsperfResult, error) {
	cmd := exec.Command(bin, dnsperfArgs(server, port, input)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return dnsperfResult{}, fmt.Errorf("dnsperf: %w\n%s", err, out.String())
	}
	r := dnsperfResult{wall: time.Since(start), cpu: cpuTime(cmd.ProcessState)}
	secs, err := match(reRunTime, out.Bytes())
	if err != nil {
		return r, err
	}
	r.runTime = time.Duration(secs * float64(time.Second))
	completed, err1 := match(reCompleted, out.Bytes())
	lost, err2 := match(reLost, out.Bytes())
	qps, err3 := match(reQPS, out.Bytes())
	if err := firstErr(err1, err2, err3); err != nil {
		return r, err
	}
	r.completed, r.lost, r.qps = int(completed), int(lost), qps
	return r, nil
}

// match returns the number re captures in out.
func match(re *regexp.Regexp, out []byte) (float64, error) {
	m := re.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("dnsperf output lacks %q:\n%s", re, out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// cpuTime is the user and system time a finished child used.
func cpuTime(ps *os.ProcessState) time.Duration {
	if ps == nil {
		return 0
	}
	return ps.UserTime() + ps.SystemTime()
}
