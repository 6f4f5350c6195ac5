// Package outbound reads the outbound side of the mail logs the evidence
// package reads for callouts: what the operator's own MX sent. It answers
// the questions a list operator's listing may be right about:
//
//   - own callouts: did our MX verify other domains' senders or
//     recipients (Postfix reject_unverified_sender, whose probes end in
//     status=deliverable or status=undeliverable; Exim "verify =
//     sender/callout", whose failures log "sender verify fail for <…>: …
//     SMTP error from remote mail server")?
//   - own backscatter: did it accept mail it could not deliver and bounce
//     it (Postfix "sender non-delivery notification", Exim "<= <>"
//     arrivals with R=), so that the bounces went to forged senders?
//   - outbound spam: did one authenticated (Postfix sasl_username=, Exim
//     A=) or local sender's volume, recipients or remote rejections jump?
//   - open relay: did it deliver to other hosts mail from clients outside
//     the own networks (Options.OwnNetworks) that did not authenticate?
//
// Lines are read in their exact Postfix 3.x and Exim 4.9x shapes
// (../testdata/mta holds logs real MTAs wrote), in any syslog framing the
// evidence package reads (evidence.ParseSyslog: RFC 3164, RFC 3339 stamps
// as rsyslog writes by default, RFC 5424 with or without PRI) or as an
// Exim mainlog. Counts are per day (in the
// zone of the report) and per sender, each with a few raw lines as
// samples, so that anyone can check them. Malformed lines are counted,
// never fatal.
package outbound
