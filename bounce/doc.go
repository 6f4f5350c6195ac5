// Package bounce reads delivery failure reports (bounces) and finds the
// rejections that blame a blocklist or the sender's reputation.
//
// Operators rarely learn of a listing from a DNS query: they learn from a
// bounce quoting the receiver's rejection ("550 ... is listed on
// https://spamrl.com as a source of dictionary attacks"). Many of the lists
// such rejections name cannot be queried over DNS at all (Microsoft's,
// Yahoo's, Proofpoint's own reputation systems), so the bounce is the only
// evidence of them.
//
// Reading: Read takes .eml files, mbox files and Maildir folders (CRLF, LF
// and bare-CR line endings), walks the MIME tree with the standard library
// (net/mail, mime/multipart, mime/quotedprintable, encoding/base64), reads
// RFC 3464 delivery-status parts field by field, and falls back on the
// plain-text forms of Exim, Postfix, Sendmail and qmail for the bounces that
// carry no delivery-status part. The returned copy of the original message
// is never read for rejections: its headers name spam filters and lists
// (X-Proofpoint-..., RCVD_IN_SORBS_SPAM) that have nothing to do with why
// the delivery failed.
//
// Classifying: Classify matches each failure's diagnostic text against the
// rejection patterns of patterns.yaml, each with the document it was taken
// from, and links a named list to the DNS list catalogue (dnsbl), so that a
// rejection naming SORBS says SORBS is dead.
package bounce
