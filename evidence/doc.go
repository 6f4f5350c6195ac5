// Package evidence reads an operator's own mail logs and finds SMTP callout
// probes (callback verification) against its MX, and the forged-sender spam
// campaign that caused them.
//
// The flow is one way: readers (files, globs, gzip or bzip2 rotations,
// stdin) cut the input into chunks of whole lines; per-format parsers turn
// lines into Events that keep their file, line number and raw text; the
// assembler joins events into SMTP sessions (Postfix smtpd pid, spamd
// connection, Exim pid or, without one, the client split at the
// connection and transaction ends Exim logs, Sendmail queue id, OpenSMTPD
// session id);
// the classifier turns sessions that never sent DATA into Probes with a
// kind, reason and confidence; the aggregator groups probes by Prober and
// the campaign side collects forged own-domain senders, backscatter and
// the links between forged addresses and the probes that asked for them.
//
// Scan is the entry point; ParseTimestamp, ParseFormat and LineParser give
// the lower levels to tests and other tools.
package evidence
