// Command dnsblaudit checks mail IPs against DNS blocklists, finds SMTP
// callback probes in mail logs, looks up abuse contacts and renders notices.
package main

import "os"

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}
