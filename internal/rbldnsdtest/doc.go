// Package rbldnsdtest runs a real rbldnsd (the DNSBL server most lists run)
// on a free loopback port, serving zone files written into a private
// directory. Tests use it to check behaviour against the server lists
// actually use, and the benchmark uses it as the server both dnsperf and
// dnsblaudit query.
//
// rbldnsd answers only over UDP, reloads a zone file when its mtime changes
// (checked every -c interval, or at once on SIGHUP), refuses to run as root
// (it drops to -u user, "rbldns" by default) and logs to stdout when run in
// the foreground with -n. The harness relies on each of those facts; see
// rbldnsd(8).
package rbldnsdtest
