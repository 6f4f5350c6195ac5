// Package evidence reads an operator's own mail logs and finds SMTP callout
// probes (callback verification) against its MX, and the forged-sender spam
// campaign that caused them.
//
// The data's path, and where each step lives:
//
//   - lines: read.go (files, globs in rotation order, gzip, bzip2, stdin,
//     chunks of whole lines), pipeline.go (parallel parsing of chunks);
//   - events, one parser per MTA: postfix.go (smtpd, postscreen, qmgr,
//     delivery agents), exim.go and exim_conn.go, sendmail.go,
//     opensmtpd.go, spamd.go (spamd and spamdb), unused.go (recognised
//     lines no rule reads, counted by kind); header.go, fastheader.go
//     and stamp.go read the syslog header and time stamps; prefilter.go
//     drops, on the workers, the sessions no rule could look at;
//   - sessions: assemble.go, session.go, exim_session.go join events into
//     SMTP sessions per logging host (idle sweeps by that host's clock, one
//     assembler across rotated files);
//   - verdicts: rules.go holds every rule that can accuse a host and every
//     reason not to, each a named function; explain.go holds the two-session
//     rules (a later delivery, a retry, a greylisted callout asked again,
//     our own mail's delivery to the client: ruleOwnMailRelayed);
//     classify.go writes a session as a Probe;
//   - campaign links: campaign*.go (forged own-domain senders, backscatter,
//     links from forged uses to the probes they caused; campaign_counts.go
//     links every convicted probe, not only the sampled ones, from compact
//     keys that campaign_spill.go moves to a temporary file in a storm);
//   - report: aggregate.go (probers and suspects, exact counts, bounded
//     samples), report.go (the JSON types, docs/evidence-json.md).
//
// Scan is the entry point; ParseTimestamp, ParseFormat and LineParser give
// the lower levels to tests and other tools.
package evidence
