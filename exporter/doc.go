// Package exporter is dnsblaudit's Prometheus exporter (`dnsblaudit
// serve`). Checks run in the background on their own interval and a scrape
// only reads the last results, so scrapes never cause queries and the
// lists' quotas hold. /probe?target=IP checks one target in the style of
// the blackbox exporter, so that Prometheus can spread many targets over
// several instances (hashmod relabelling); probes are cached per target
// and rate limited, so a scrape storm cannot hammer the lists.
//
// Label cardinality is bounded by the configuration: labels are target
// addresses, list names, verdicts and health states, never TXT text, zones
// (which may carry a key) or error messages.
package exporter
