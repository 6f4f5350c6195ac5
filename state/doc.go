// Package state is dnsblaudit's one SQLite file (modernc.org/sqlite, no
// cgo): every scheduled run, the per-(target, list) listing intervals and
// flap-suppression tracks that watch and serve keep, and — in tables owned
// by their packages — the WHOIS contact cache and the sent-notices record.
//
// Safety properties, each tested:
//   - Writes happen in transactions in WAL mode, so a process killed at any
//     point leaves the previous history intact (SQLite rolls back the
//     unfinished transaction on the next open).
//   - A file that is not SQLite, or SQLite without dnsblaudit's
//     application_id, is refused with ErrForeign and never written to.
//   - Runs are serialised by an OS file lock on a side file (PATH.lock), so
//     a cron run and a manual run cannot interleave or double-count; the
//     lock dies with the process, even on SIGKILL.
//   - Schema changes are versioned migrations recorded by ID, so several
//     packages can own their own tables (see migrate.go).
package state
