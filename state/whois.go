package state

// whoisMigrations create the WHOIS/RDAP contact cache tables. IDs 100-199
// belong to this file; the whoisctx owner fills them in (and adds the cache
// methods on *DB in this file or a new state/whois_*.go file).
var whoisMigrations = []migration{}
