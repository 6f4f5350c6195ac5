package whoisctx

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/atomicfile"
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
	files  map[string]bootFile
	// hosts are the RDAP service hosts the files name (https only): the
	// only hosts an RDAP redirect may lead to.
	hosts map[string]bool
}

// bootFile says where one registry file came from and how old its data is.
type bootFile struct {
	origin string // "embedded" or the file's path
	// date is when the data was last known current: for the embedded set
	// its newest IANA publication (see bootstrap/PROVENANCE); for a
	// downloaded file the later of its publication and when it was written.
	date time.Time
}

// loadBootstrap parses the files in dir, falling back to the embedded copy
// of each file that is missing there.
func loadBootstrap(dir string) (*bootstrapSet, error) {
	embeddedDate, err := embeddedBootstrapDate()
	if err != nil {
		return nil, err
	}
	b := bootstrapSet{files: map[string]bootFile{}, hosts: map[string]bool{}}
	var data [4][]byte
	for i, name := range BootstrapFiles {
		var bf bootFile
		if data[i], bf, err = readBootstrapFile(dir, name); err != nil {
			return nil, err
		}
		if bf.origin == "embedded" {
			bf.date = embeddedDate
		}
		b.files[name] = bf
		if err := b.addHosts(data[i]); err != nil {
			return nil, fmt.Errorf("bootstrap %s: %w", name, err)
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

// addHosts records the https service hosts of one registry file.
func (b *bootstrapSet) addHosts(data []byte) error {
	f, err := bootstrap.NewFile(data)
	if err != nil {
		return err
	}
	for _, urls := range f.Entries {
		for _, u := range urls {
			if u.Scheme == "https" {
				b.hosts[strings.ToLower(u.Hostname())] = true
			}
		}
	}
	return nil
}

// readBootstrapFile reads name from dir, dated by the later of its
// publication and its modification time (RefreshBootstrap writes it when
// it downloads it), or the embedded copy when dir has none.
func readBootstrapFile(dir, name string) ([]byte, bootFile, error) {
	if dir != "" {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err == nil {
			bf := bootFile{origin: path}
			if st, err := os.Stat(path); err == nil {
				bf.date = st.ModTime()
			}
			if pub, err := publication(b); err == nil && pub.After(bf.date) {
				bf.date = pub
			}
			return b, bf, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, bootFile{}, fmt.Errorf("bootstrap %s: %w", name, err)
		}
	}
	b, err := embeddedBootstrap.ReadFile("bootstrap/" + name)
	return b, bootFile{origin: "embedded"}, err
}

// embeddedBootstrapDate is the newest publication among the embedded
// files: the set was taken together, so that is when all of it was known
// current (IANA leaves a file's date alone while it does not change).
func embeddedBootstrapDate() (time.Time, error) {
	var newest time.Time
	for _, name := range BootstrapFiles {
		b, err := embeddedBootstrap.ReadFile("bootstrap/" + name)
		if err != nil {
			return time.Time{}, err
		}
		pub, err := publication(b)
		if err != nil {
			return time.Time{}, fmt.Errorf("embedded bootstrap %s: %w", name, err)
		}
		if pub.After(newest) {
			newest = pub
		}
	}
	return newest, nil
}

// publication reads a bootstrap file's "publication" member (RFC 9224 §3).
func publication(b []byte) (time.Time, error) {
	f, err := bootstrap.NewFile(b)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, f.Publication)
	if err != nil {
		return time.Time{}, fmt.Errorf("publication %q: %w", f.Publication, err)
	}
	return t, nil
}

// staleAfter is the age past which an answer made with bootstrap data
// says so: registries move their RDAP services, and new TLDs and blocks
// appear, a few times a year.
const staleAfter = 6 // months

// staleWarning returns a warning when the file name's data is more than
// staleAfter months old at now, else "".
func (b *bootstrapSet) staleWarning(name string, now time.Time) string {
	bf, ok := b.files[name]
	if !ok || bf.date.IsZero() || bf.date.After(now.AddDate(0, -staleAfter, 0)) {
		return ""
	}
	return fmt.Sprintf("the RDAP bootstrap %s (%s copy) dates from %s, more than %d months ago: servers may have moved; refresh it with `dnsblaudit whois --refresh-bootstrap`",
		name, bf.originName(), bf.date.UTC().Format(time.DateOnly), staleAfter)
}

// date returns the data date of file name (zero when unknown).
func (b *bootstrapSet) date(name string) time.Time { return b.files[name].date }

func (bf bootFile) originName() string {
	if bf.origin == "embedded" {
		return "embedded"
	}
	return "downloaded"
}

// ipFile names the registry file that routes addr.
func ipFile(addr netip.Addr) string {
	if addr.Unmap().Is6() {
		return "ipv6.json"
	}
	return "ipv4.json"
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
