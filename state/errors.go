package state

import "errors"

// Errors returned by Open and the run lock; test them with errors.Is.
var (
	// ErrForeign: the file exists but is not a dnsblaudit state database
	// (not SQLite, or SQLite belonging to something else). It is never
	// written to.
	ErrForeign = errors.New("not a dnsblaudit state database")
	// ErrCorrupt: the file claims to be ours but SQLite finds it damaged.
	ErrCorrupt = errors.New("state database is damaged")
	// ErrNewer: the file has migrations this binary does not know, so it
	// was written by a newer dnsblaudit.
	ErrNewer = errors.New("state database was written by a newer dnsblaudit")
	// ErrSchema: the migrations compiled into this binary are inconsistent.
	ErrSchema = errors.New("state schema error")
	// ErrNotExist: Options.MustExist was set and the file does not exist.
	ErrNotExist = errors.New("state database does not exist")
	// ErrBusy: another run holds the run lock for longer than allowed.
	ErrBusy = errors.New("another dnsblaudit run is using the state database")
)
