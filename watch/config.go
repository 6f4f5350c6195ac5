package watch

import (
	"errors"
	"fmt"
	"time"
)

// Defaults applied by Config.WithDefaults. Two consecutive runs confirm a
// change: one stray answer (a lost packet, a list's brief glitch) never
// alerts, and a real listing is reported at the second run, e.g. within
// two hours with an hourly timer. Set confirm_runs: 1 to alert at once.
const (
	DefaultConfirmRuns  = 2
	DefaultUnknownAfter = 24 * time.Hour
	DefaultLockWait     = 30 * time.Second
	DefaultHookTimeout  = 30 * time.Second
	DefaultMailTimeout  = 60 * time.Second
	DefaultMaxGap       = 72 * time.Hour

	maxConfirmRuns = 100
)

// ErrBadConfig marks an invalid watch section.
var ErrBadConfig = errors.New("invalid watch configuration")

// Config is the "watch" section of the configuration file. Its fields carry
// yaml tags; the config package decodes it strictly (unknown keys are
// errors). Zero values mean the defaults.
type Config struct {
	// Every makes `watch` stay in the foreground and run at this interval
	// (0: one run, for cron and systemd timers). --every overrides it.
	Every time.Duration `yaml:"every"`
	// ConfirmRuns is how many consecutive runs must agree before a change
	// counts (flap suppression; default 2, 1 = report at once).
	ConfirmRuns int `yaml:"confirm_runs"`
	// UnknownAfter: report a (target, list) whose verdict stayed unknown
	// (error, refusal, bogus, unhealthy list) this long (default 24h).
	UnknownAfter time.Duration `yaml:"unknown_after"`
	// LockWait is how long a run waits for an overlapping run to finish
	// before giving up with a clear message (default 30s; "0s" still
	// means the default, use 1ns to fail at once).
	LockWait time.Duration `yaml:"lock_wait"`
	// Exec is a hook command (argv, no shell) run once per change with the
	// change as JSON on stdin.
	Exec []string `yaml:"exec"`
	// ExecTimeout bounds each hook run (default 30s).
	ExecTimeout time.Duration `yaml:"exec_timeout"`
	// Mail sends one plain-text message per run that has changes.
	Mail MailConfig `yaml:"mail"`
	// MaxGap: a listing last seen longer ago than this (the watch was not
	// running) is closed at its last sighting and a new one starts, so
	// that no interval spans a stretch nobody checked (default 72h; set it
	// above your run interval).
	MaxGap time.Duration `yaml:"max_gap"`
	// Serve configures `dnsblaudit serve`, the Prometheus exporter.
	Serve ServeConfig `yaml:"serve"`
}

// ServeConfig is the "watch.serve" section, read by the exporter.
type ServeConfig struct {
	// Listen is the exporter's address (default 127.0.0.1:9153).
	Listen string `yaml:"listen"`
	// Interval between background checks of the configured targets
	// (default 5m). Scrapes only read the last results.
	Interval time.Duration `yaml:"interval"`
	// ProbeCacheTTL: /probe answers for a target are reused this long
	// (default 60s).
	ProbeCacheTTL time.Duration `yaml:"probe_cache_ttl"`
	// ProbeRate and ProbeBurst limit fresh /probe checks per second across
	// all targets (default 1/s, burst 10).
	ProbeRate  float64 `yaml:"probe_rate"`
	ProbeBurst int     `yaml:"probe_burst"`
	// ProbeMaxTargets bounds how many targets /probe keeps cached.
	ProbeMaxTargets int `yaml:"probe_max_targets"`
}

// WithDefaults returns c with zero values replaced by defaults.
func (c Config) WithDefaults() Config {
	if c.ConfirmRuns == 0 {
		c.ConfirmRuns = DefaultConfirmRuns
	}
	if c.UnknownAfter == 0 {
		c.UnknownAfter = DefaultUnknownAfter
	}
	if c.LockWait == 0 {
		c.LockWait = DefaultLockWait
	}
	if c.ExecTimeout == 0 {
		c.ExecTimeout = DefaultHookTimeout
	}
	if c.MaxGap == 0 {
		c.MaxGap = DefaultMaxGap
	}
	c.Mail = c.Mail.withDefaults()
	c.Serve = c.Serve.withDefaults()
	return c
}

func (s ServeConfig) withDefaults() ServeConfig {
	if s.Listen == "" {
		s.Listen = "127.0.0.1:9153"
	}
	if s.Interval == 0 {
		s.Interval = 5 * time.Minute
	}
	if s.ProbeCacheTTL == 0 {
		s.ProbeCacheTTL = time.Minute
	}
	if s.ProbeRate == 0 {
		s.ProbeRate = 1
	}
	if s.ProbeBurst == 0 {
		s.ProbeBurst = 10
	}
	if s.ProbeMaxTargets == 0 {
		s.ProbeMaxTargets = 10000
	}
	return s
}

// Validate checks the section; errors name the field ("watch.every").
func (c Config) Validate() error {
	checks := []struct {
		bad   bool
		field string
		value any
		want  string
	}{
		{c.Every < 0 || (c.Every > 0 && c.Every < time.Second), "watch.every", c.Every, "0 (one run) or at least 1s"},
		{c.ConfirmRuns < 0 || c.ConfirmRuns > maxConfirmRuns, "watch.confirm_runs", c.ConfirmRuns, fmt.Sprintf("1 to %d", maxConfirmRuns)},
		{c.UnknownAfter < 0, "watch.unknown_after", c.UnknownAfter, "a positive duration"},
		{c.LockWait < 0, "watch.lock_wait", c.LockWait, "a positive duration"},
		{c.ExecTimeout < 0, "watch.exec_timeout", c.ExecTimeout, "a positive duration"},
		{c.MaxGap < 0, "watch.max_gap", c.MaxGap, "a positive duration"},
		{len(c.Exec) > 0 && c.Exec[0] == "", "watch.exec", c.Exec, "a command path first"},
		{c.Serve.Interval < 0 || (c.Serve.Interval > 0 && c.Serve.Interval < time.Second), "watch.serve.interval", c.Serve.Interval, "at least 1s"},
		{c.Serve.ProbeCacheTTL < 0, "watch.serve.probe_cache_ttl", c.Serve.ProbeCacheTTL, "a positive duration"},
		{c.Serve.ProbeRate < 0, "watch.serve.probe_rate", c.Serve.ProbeRate, "a positive rate"},
		{c.Serve.ProbeBurst < 0, "watch.serve.probe_burst", c.Serve.ProbeBurst, "a positive number"},
		{c.Serve.ProbeMaxTargets < 0, "watch.serve.probe_max_targets", c.Serve.ProbeMaxTargets, "a positive number"},
	}
	for _, ch := range checks {
		if ch.bad {
			return fmt.Errorf("%s %v: want %s: %w", ch.field, ch.value, ch.want, ErrBadConfig)
		}
	}
	return c.Mail.validate()
}
