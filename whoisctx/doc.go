// Package whoisctx finds the abuse contact for an IP address or a domain,
// with provenance: which source answered (RDAP, WHOIS, Team Cymru, Abusix,
// abuse.net), which server, how confident we are, and the raw answer kept as
// evidence for the notice.
//
// The lookup order follows what works in practice (see
// docs/whois-json.md): private and documentation ranges are answered
// locally; then Team Cymru names the registry and the covering prefix; RDAP
// gives structured abuse entities; WHOIS at the registry we chose (referrals
// are never followed blindly) fills the gaps; Abusix cross-checks. For the
// host's domain only a forward-confirmed reverse name is used.
//
// Registries rate-limit hard (RIPE denies access for a day after too many
// personal-data records), so answers are cached by covering prefix, each
// registry server sees one query at a time with a minimum interval, and a
// rate-limit answer is reported as such, never as "no contact".
package whoisctx
