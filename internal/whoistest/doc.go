// Package whoistest runs fake registry servers on loopback for tests and
// for the offline demo: a WHOIS server (TCP, port 43 protocol), an RDAP
// server (HTTP) and a DNS server for the Team Cymru, Abusix, abuse.net and
// reverse-name sources. They answer with real registry answers (RIPE, ARIN
// with a referral, APNIC, LACNIC, registro.br, AFRINIC without an abuse
// contact, an ICANN registrar; data/PROVENANCE names each source) and a few
// constructed ones (a transferred APNIC stub, rate-limit refusals, injection
// attempts), and can misbehave on purpose: never answer, trickle bytes,
// flood. The documentation ranges get Variants of those answers that keep
// their shape but name only fictional holders, never the real ones.
//
// Every server listens on 127.0.0.1:0, needs no testing.TB, and stops with
// Close.
package whoistest
