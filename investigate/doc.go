// Package investigate ties a listing to its evidence: it checks the listed
// IP (and the operator's domains) now, reads from the history when each
// listing began, scans the mail logs around that time for SMTP callouts and
// the forged-sender spam behind them, finds the abuse contact of every
// prober, and states the hypothesis the evidence supports, with the facts
// it rests on. The result is a Case, written as a case directory:
// case.json (docs/case-json.md), report.md, a self-contained report.html
// with an SVG timeline, and the notices rendered for review.
//
// The parts it composes (Checker, History, Scanner, ContactFinder,
// NoticeRenderer) are small interfaces; the command line wires them to
// dnsbl, state, evidence, whoisctx and notify, and the demo to the same
// packages pointed at loopback servers. Explain, Timeline and the renderers
// are pure functions of the case, so the same case always reads the same.
package investigate
