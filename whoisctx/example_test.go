package whoisctx_test

import (
	"context"
	"fmt"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/whoistest"
	"github.com/dnsblaudit/dnsblaudit/whoisctx"
)

// Looking up a prober against the loopback registries, as the offline demo
// does (LookupSpecial lets documentation addresses through).
func ExampleFinder_Lookup() {
	reg, err := whoistest.StartRegistry()
	if err != nil {
		panic(err)
	}
	defer reg.Close()
	f, err := whoisctx.New(whoisctx.Config{
		WhoisServer:   reg.WHOIS.Addr(),
		RDAPURL:       reg.RDAP.URL(),
		DNSServers:    []string{reg.DNS.Addr()},
		LookupSpecial: true,
		MinInterval:   -1,
	}, whoisctx.WithClock(func() time.Time { return time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC) }))
	if err != nil {
		panic(err)
	}
	res, err := f.Lookup(context.Background(), "192.0.2.7")
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Prefix, res.ASN, res.Registry)
	for _, c := range res.Contacts {
		fmt.Println(c.Address, c.Role, c.Source, c.Confidence)
	}
	// Output:
	// 192.0.2.0/24 64500 ripencc
	// abuse@hosting.example.net network whois 0.92
	// cert@hosting.example.net network whois 0.35
}
