package main

import (
	"github.com/dnsblaudit/dnsblaudit/config"
	"github.com/dnsblaudit/dnsblaudit/dnsbl"
	"github.com/dnsblaudit/dnsblaudit/watch"
)

// secretEnvNames lists the environment variables that may hold a secret
// under this configuration: every list's key_env (the catalogue's and the
// config's) and the SMTP password variables of watch and notify. The exec
// hook does not inherit them.
func secretEnvNames(cfg *config.Config, wc watch.Config) []string {
	var names []string
	add := func(n string) {
		if n != "" {
			names = append(names, n)
		}
	}
	for _, l := range dnsbl.DefaultCatalogue().Lists() {
		add(l.KeyEnv)
	}
	for _, l := range cfg.DNSBL.Lists {
		add(l.KeyEnv)
	}
	add(wc.Mail.PasswordEnv)
	add(cfg.Notify.SMTP.PasswordEnv)
	return names
}
