// Package watch runs scheduled checks and reports what changed since the
// previous runs: a new listing, a delisting, a list that became unhealthy
// or healthy again, a verdict that stayed unknown too long.
//
// A change counts only after Config.ConfirmRuns consecutive definite runs
// agree (flap suppression). Runs that cannot tell (timeouts, refusals,
// bogus answers, unhealthy lists) neither confirm nor break a streak; they
// are timed instead, and reported once when they last UnknownAfter.
//
// Each run holds the state database's run lock from the first query to the
// commit, records everything in one transaction, and only then alerts, so
// a change is reported once: a crash before the commit leaves the history
// as it was, and the next run finds the change again.
package watch
