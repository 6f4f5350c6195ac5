// Package templates renders the text of the notices dnsblaudit writes: the
// callback notice to a probing host's abuse desk, the evidence for a
// blocklist operator, and the question to an antispam vendor.
//
// Default templates are embedded (default/*.tmpl) and parsed once; a user
// directory may override any of them by file name or add new ones. A
// template file is a text/template whose main body is the message text and
// which may define a "subject" block. The data every template receives is
// Data, documented field by field in docs/notify.md. Everything in Data that
// came from strangers (HELO names, WHOIS answers, log lines) is sanitised by
// Render before any template sees it, so a user template cannot forget to.
package templates
