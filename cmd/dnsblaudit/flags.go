package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/dnsblaudit/dnsblaudit/config"
)

// Flag names and their environment variables, in one place (every flag
// that a command shares is declared here).
const (
	flagConfig   = "config"
	flagFormat   = "format"
	flagLogLevel = "log-level"
	flagState    = "state"

	envPrefix = "DNSBLAUDIT_"
)

// envVar names the environment variable for a flag: --log-level ->
// DNSBLAUDIT_LOG_LEVEL.
func envVar(flag string) []string {
	return []string{envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))}
}

func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagConfig, Usage: "YAML configuration `FILE`", EnvVars: envVar(flagConfig)},
		&cli.StringFlag{Name: flagFormat, Value: "text", Usage: "output format: text, json (some commands: nagios, csv)", EnvVars: envVar(flagFormat)},
		&cli.StringFlag{Name: flagLogLevel, Value: "warn", Usage: "log level: debug, info, warn, error", EnvVars: envVar(flagLogLevel)},
		&cli.StringFlag{Name: flagState, Usage: "state database `FILE` (default: $XDG_STATE_HOME/dnsblaudit/state.db)", EnvVars: envVar(flagState)},
	}
}

// metaConfig is the App.Metadata key under which before() keeps the
// configuration it loaded, so every command sees the same one.
const metaConfig = "config"

// before runs ahead of every command: logging from --log-level, then the
// configuration file, so a bad file fails every command the same way.
func before(c *cli.Context) error {
	if err := setupLogging(c); err != nil {
		return err
	}
	cfg, err := config.Load(c.String(flagConfig))
	if err != nil {
		return err
	}
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]interface{}{}
	}
	c.App.Metadata[metaConfig] = cfg
	return nil
}

// loadConfig returns the configuration that before() loaded (the empty
// configuration when there is no --config).
func loadConfig(c *cli.Context) (*config.Config, error) {
	if cfg, ok := c.App.Metadata[metaConfig].(*config.Config); ok {
		return cfg, nil
	}
	return config.Load(c.String(flagConfig))
}

// setupLogging sends structured logs to stderr at the requested level.
func setupLogging(c *cli.Context) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.String(flagLogLevel))); err != nil {
		return fmt.Errorf("--%s %q: want debug, info, warn or error", flagLogLevel, c.String(flagLogLevel))
	}
	h := slog.NewTextHandler(c.App.ErrWriter, &slog.HandlerOptions{Level: level})
	slog.SetDefault(slog.New(h))
	return nil
}

// format returns --format after checking it is one of allowed.
func format(c *cli.Context, allowed ...string) (string, error) {
	f := c.String(flagFormat)
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", fmt.Errorf("--%s %q: this command supports %s", flagFormat, f, strings.Join(allowed, ", "))
}

// statePath is --state, else the config's state, else the XDG default.
func statePath(c *cli.Context, cfg *config.Config) (string, error) {
	if p := c.String(flagState); p != "" {
		return p, nil
	}
	if cfg != nil && cfg.State != "" {
		return cfg.State, nil
	}
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("state directory: %w (set --%s)", err, flagState)
		}
		dir = home + "/.local/state"
	}
	return dir + "/dnsblaudit/state.db", nil
}

// inheritGlobalFlags gives every command and subcommand the global flags
// it does not define itself, so that they are accepted after the command
// name too (`dnsblaudit watch --state FILE`), as the README promises.
// Commands added later get them without doing anything.
func inheritGlobalFlags(cmds []*cli.Command) {
	for _, cmd := range cmds {
		have := map[string]bool{}
		for _, f := range cmd.Flags {
			for _, n := range f.Names() {
				have[n] = true
			}
		}
		var added []string
		for _, f := range globalFlags() { // fresh flag values per command
			if name := f.Names()[0]; !have[name] {
				cmd.Flags = append(cmd.Flags, f)
				added = append(added, name)
			}
		}
		cmd.Before = withGlobalFlags(added, cmd.Before)
		inheritGlobalFlags(cmd.Subcommands)
	}
}

// withGlobalFlags wraps a command's Before: a global flag given before the
// command is copied into the command's own copy (which would otherwise
// shadow it with its default), and one given after the command makes the
// logging and configuration be set up again from the command's values.
func withGlobalFlags(names []string, next cli.BeforeFunc) cli.BeforeFunc {
	return func(c *cli.Context) error {
		local := map[string]bool{}
		for _, n := range c.LocalFlagNames() {
			local[n] = true
		}
		again := false
		for _, n := range names {
			if local[n] {
				again = true
				continue
			}
			if p := parentSetting(c, n); p != nil {
				if err := c.Set(n, p.String(n)); err != nil {
					return err
				}
			}
		}
		if again {
			if err := before(c); err != nil {
				return err
			}
		}
		if next != nil {
			return next(c)
		}
		return nil
	}
}

// parentSetting is the nearest enclosing context where name was set.
func parentSetting(c *cli.Context, name string) *cli.Context {
	lineage := c.Lineage()
	for _, p := range lineage[1:] {
		if p.Command == nil && p.App == nil {
			continue
		}
		for _, n := range p.LocalFlagNames() {
			if n == name {
				return p
			}
		}
	}
	return nil
}
