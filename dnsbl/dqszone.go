package dnsbl

import "strings"

// dqsSuffixes end the zones of Spamhaus's Data Query Service, whose first
// label is the customer's key ("<key>.zen.dq.spamhaus.net", as Spamhaus's
// own set-up pages write it).
var dqsSuffixes = []string{".dq.spamhaus.net", ".dq.spamhaus.com"}

// splitDQSKey turns a DQS zone written with the key in it into the
// KeyPlaceholder form and returns the key, so that the key is redacted
// like one given by key or key_env instead of being shown with the zone.
// Other zones are returned unchanged.
func splitDQSKey(zone string) (string, string) {
	if strings.Contains(zone, KeyPlaceholder) {
		return zone, ""
	}
	lower := strings.ToLower(zone)
	for _, suf := range dqsSuffixes {
		if !strings.HasSuffix(lower, suf) {
			continue
		}
		labels := strings.Split(zone, ".")
		if len(labels) != 5 || labels[0] == "" { // key, dataset, dq, spamhaus, net
			return zone, ""
		}
		return KeyPlaceholder + zone[len(labels[0]):], labels[0]
	}
	return zone, ""
}
