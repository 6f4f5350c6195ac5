package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// oursResult is one dnsblaudit check run.
type oursResult struct {
	wall     time.Duration
	cpu      time.Duration // user + system
	maxRSS   int64         // bytes, from the kernel's rusage of the child
	exitCode int
	verdicts map[string]map[string]int // zone -> verdict -> count
	total    int
}

// result is the part of dnsblaudit's JSON schema the benchmark reads.
type result struct {
	Target  string `json:"target"`
	Query   string `json:"query"`
	Zone    string `json:"zone"`
	Verdict string `json:"verdict"`
}

// runOurs runs dnsblaudit with args and counts the verdicts of its JSON
// output. Exit codes 0-2 are results (clean, warning, listed); 3 means it
// could not check.
func runOurs(bin string, args []string) (oursResult, error) {
	cmd := exec.Command(bin, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	r := oursResult{wall: time.Since(start)}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return r, fmt.Errorf("dnsblaudit: %w", err)
	}
	r.exitCode = cmd.ProcessState.ExitCode()
	r.cpu = cpuTime(cmd.ProcessState)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024 // Linux reports kilobytes
	}
	if r.exitCode > 2 {
		return r, fmt.Errorf("dnsblaudit exited %d:\n%s", r.exitCode, errOut.String())
	}
	if errOut.Len() > 0 {
		fmt.Fprintf(os.Stderr, "dnsblaudit stderr:\n%s", errOut.String())
	}
	results, err := decodeResults(out.Bytes())
	if err != nil {
		return r, err
	}
	r.total = len(results)
	r.verdicts = make(map[string]map[string]int)
	for _, res := range results {
		if r.verdicts[res.Zone] == nil {
			r.verdicts[res.Zone] = make(map[string]int)
		}
		r.verdicts[res.Zone][res.Verdict]++
	}
	return r, nil
}

// decodeResults reads the "results" array of check's JSON report.
func decodeResults(data []byte) ([]result, error) {
	var report struct {
		Results []result `json:"results"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		return nil, fmt.Errorf("dnsblaudit JSON output: %w", err)
	}
	return report.Results, nil
}
