package evidence

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// Config is the "evidence" section of the configuration file. Its fields carry
// yaml tags; the config package decodes it strictly (unknown keys are errors).
// The own domains and networks are top-level settings (own_domains,
// own_networks) shared with the other commands.
type Config struct {
	// Logs are the files or globs read when the command names none,
	// e.g. ["/var/log/maillog*", "/var/db/spamd-dumps/*"].
	Logs []string `yaml:"logs"`
	// TimeZone is the IANA zone of stamps that carry none (RFC 3164 syslog,
	// Exim without log_timezone); "" = the local zone.
	TimeZone string `yaml:"time_zone"`
	// Format forces one format for every input ("" or "auto" = sniff).
	Format string `yaml:"format"`
	// Formats forces a format for inputs matching a glob, e.g.
	// {"/var/log/exim4/*": "exim"}; it wins over Format.
	Formats map[string]string `yaml:"formats"`
	// LinkWindow is how long before a probe a forged use of the probed
	// address still counts as its cause (default 24h; Exim caches callout
	// results for 2 h negative / 24 h positive).
	LinkWindow time.Duration `yaml:"link_window"`
	// MaxLineBytes caps a line; longer lines are counted as malformed
	// (default 65536).
	MaxLineBytes int `yaml:"max_line_bytes"`
	// FirstBad is how many malformed or unknown lines are kept per file
	// for the report (default 5).
	FirstBad int `yaml:"first_bad"`
}

// Defaults of Config.
const (
	DefaultLinkWindow   = 24 * time.Hour
	DefaultMaxLineBytes = 64 << 10
	DefaultFirstBad     = 5
)

// ErrConfig marks an invalid evidence setting.
var ErrConfig = errors.New("invalid evidence setting")

// WithDefaults returns c with zero values replaced by the defaults.
func (c Config) WithDefaults() Config {
	if c.LinkWindow == 0 {
		c.LinkWindow = DefaultLinkWindow
	}
	if c.MaxLineBytes == 0 {
		c.MaxLineBytes = DefaultMaxLineBytes
	}
	if c.FirstBad == 0 {
		c.FirstBad = DefaultFirstBad
	}
	return c
}

// Validate checks every field and names the one that is wrong.
func (c Config) Validate() error {
	if _, err := c.Location(); err != nil {
		return err
	}
	if _, err := ParseFormat(c.Format); err != nil {
		return fmt.Errorf("evidence.format: %w", err)
	}
	for glob, f := range c.Formats {
		if _, err := filepath.Match(glob, ""); err != nil {
			return fmt.Errorf("evidence.formats %q: %v: %w", glob, err, ErrConfig)
		}
		if _, err := ParseFormat(f); err != nil {
			return fmt.Errorf("evidence.formats %q: %w", glob, err)
		}
	}
	if c.LinkWindow < 0 {
		return fmt.Errorf("evidence.link_window %s: must not be negative: %w", c.LinkWindow, ErrConfig)
	}
	if c.MaxLineBytes < 0 || (c.MaxLineBytes > 0 && c.MaxLineBytes < 1024) || c.MaxLineBytes > 16<<20 {
		return fmt.Errorf("evidence.max_line_bytes %d: want 1024 to 16777216: %w", c.MaxLineBytes, ErrConfig)
	}
	if c.FirstBad < 0 {
		return fmt.Errorf("evidence.first_bad %d: must not be negative: %w", c.FirstBad, ErrConfig)
	}
	return nil
}

// Location loads TimeZone ("" = local).
func (c Config) Location() (*time.Location, error) {
	if c.TimeZone == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("evidence.time_zone %q: %v: %w", c.TimeZone, err, ErrConfig)
	}
	return loc, nil
}
