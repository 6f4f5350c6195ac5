// Package demo wires the offline demonstration of `dnsblaudit demo`: a
// small set of DNS blocklists served on loopback, fake RDAP and WHOIS
// registries with contacts for the demo's probers, and sample logs of a
// forged-sender campaign and the callouts it set off (the pattern of the
// seed article). Nothing here reaches beyond 127.0.0.1.
package demo
