package whoisctx

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/atomicfile"
	"io"
	"io/fs"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"

	"github.com/openrdap/rdap/bootstrap"
)

// The IANA RDAP bootstrap registries (RFC 9224), embedded so that lookups
// work without fetching them from data.iana.org first. RefreshBootstrap
// downloads current copies into a directory (Config.BootstrapDir), which
// then wins over the embedded ones.
//
//go:embed bootstrap/*.json
var embeddedBootstrap embed.FS

// BootstrapFiles are the IANA registry files this package uses.
var BootstrapFiles = []string{"ipv4.json", "ipv6.json", "dns.json", "asn.json"}

// DefaultBootstrapURL is where IANA publishes the bootstrap files.
const DefaultBootstrapURL = "https://data.iana.org/rdap/"

// bootstrapSet holds the parsed registries. They are read-only after
// loading, so concurrent lookups need no lock (openrdap's bootstrap.Client
// and its memory cache are not safe for concurrent use, so we do not use
// them).
type bootstrapSet struct {
	v4, v6 *bootstrap.NetRegistry
	dns    *bootstrap.DNSRegistry
	asn    *bootstrap.ASNRegistry
}

// loadBootstrap parses the files in dir, falling back to the embedded copy
// of each file that is missing there.
func loadBootstrap(dir string) (*bootstrapSet, error) {
	read := func(name string) ([]byte, error) {
		if dir != "" {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err == nil {
				return b, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("bootstrap %s: %w", name, err)
			}
		}
		return embeddedBootstrap.ReadFile("bootstrap/" + name)
	}
	var b bootstrapSet
	var err error
	var data [4][]byte
	for i, name := range BootstrapFiles {
		if data[i], err = read(name); err != nil {
			return nil, err
		}
	}
	if b.v4, err = bootstrap.NewNetRegistry(data[0], 4); err != nil {
		return nil, fmt.Errorf("bootstrap ipv4.json: %w", err)
	}
	if b.v6, err = bootstrap.NewNetRegistry(data[1], 6); err != nil {
		return nil, fmt.Errorf("bootstrap ipv6.json: %w", err)
	}
	if b.dns, err = bootstrap.NewDNSRegistry(data[2]); err != nil {
		return nil, fmt.Errorf("bootstrap dns.json: %w", err)
	}
	if b.asn, err = bootstrap.NewASNRegistry(data[3]); err != nil {
		return nil, fmt.Errorf("bootstrap asn.json: %w", err)
	}
	return &b, nil
}

// ipURLs returns the RDAP base URLs for addr (empty when unallocated).
func (b *bootstrapSet) ipURLs(addr netip.Addr) []*url.URL {
	addr = addr.Unmap()
	reg, t := b.v4, bootstrap.IPv4
	if addr.Is6() {
		reg, t = b.v6, bootstrap.IPv6
	}
	ans, err := reg.Lookup(&bootstrap.Question{RegistryType: t, Query: addr.String()})
	if err != nil {
		return nil
	}
	return ans.URLs
}

// domainURLs returns the RDAP base URLs for a domain's TLD.
func (b *bootstrapSet) domainURLs(domain string) []*url.URL {
	ans, err := b.dns.Lookup(&bootstrap.Question{RegistryType: bootstrap.DNS, Query: domain})
	if err != nil {
		return nil
	}
	return ans.URLs
}

// RefreshBootstrap downloads the IANA bootstrap files from baseURL
// (DefaultBootstrapURL when empty) into dir. Each file is parsed before it
// replaces the old one (write to a temporary file, then rename), so a bad
// download never breaks later lookups.
func RefreshBootstrap(ctx context.Context, client *http.Client, baseURL, dir string) error {
	if baseURL == "" {
		baseURL = DefaultBootstrapURL
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bootstrap directory: %w", err)
	}
	for _, name := range BootstrapFiles {
		if err := refreshOne(ctx, client, baseURL, dir, name); err != nil {
			return err
		}
	}
	return nil
}

func refreshOne(ctx context.Context, client *http.Client, baseURL, dir, name string) error {
	u, err := url.JoinPath(baseURL, name)
	if err != nil {
		return fmt.Errorf("bootstrap %s: %w", name, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, http.NoBody)
	if err != nil {
		return fmt.Errorf("bootstrap %s: %w", name, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("bootstrap %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bootstrap %s: HTTP %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("bootstrap %s: %w", u, err)
	}
	if _, err := bootstrap.NewFile(body); err != nil {
		return fmt.Errorf("bootstrap %s: not a bootstrap file: %w", u, err)
	}
	if err := atomicfile.Write(filepath.Join(dir, name), body, 0o644); err != nil {
		return fmt.Errorf("bootstrap %s: %w", name, err)
	}
	return nil
}
