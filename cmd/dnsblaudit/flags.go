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
