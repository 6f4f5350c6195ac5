package state

// noticeMigrations create the sent-notices record (what was sent to whom,
// for dedupe). IDs 200-299 belong to this file; the notify owner fills them
// in (and adds the record methods on *DB in this file or a new
// state/notices_*.go file).
var noticeMigrations = []migration{}
