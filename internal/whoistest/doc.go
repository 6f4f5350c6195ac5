// Package whoistest runs fake registry servers on loopback for tests and
// for the offline demo: a WHOIS server (TCP, port 43 protocol), an RDAP
// server (HTTP) and a DNS server for the Team Cymru, Abusix, abuse.net and
// reverse-name sources. They answer with text in the real registries'
// shapes (RIPE, ARIN with a referral, APNIC and a transferred stub, LACNIC,
// registro.br in Latin-1, AFRINIC without an abuse contact, an ICANN
// registrar) and can misbehave on purpose: never answer, trickle bytes,
// flood, or carry injection attempts.
//
// Every server listens on 127.0.0.1:0, needs no testing.TB, and stops with
// Close.
package whoistest
