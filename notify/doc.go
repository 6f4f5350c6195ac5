// Package notify turns evidence of SMTP callbacks into notices: it picks
// the abuse contact of each probing host, batches every incident of one
// desk into one message, renders it from the templates package, and builds
// the mail with go-mail.
//
// Review comes first: Render and WriteDir produce .eml files (or an mbox)
// and nothing is sent until Deliver is called with a Sender. A Store
// remembers what was sent (Message-ID, when, to whom, and a dedupe key per
// incident: prober IP, probed address, day), so Plan can drop incidents a
// desk has already been told about, hold back desks inside their
// cool-down, and cap a run. A notice that failed to send is never recorded.
//
// Everything from strangers (HELO names, WHOIS addresses, log lines) is
// sanitised before it reaches the body, and refused, not cleaned, if it
// would reach a header with a line break in it.
package notify
