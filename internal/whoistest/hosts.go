package whoistest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
)

// RDAPHosts is an HTTP transport that plays the real RDAP servers on
// loopback fakes: it records each URL the client chose (so a test can
// check which registry the bootstrap picked) and sends the request to the
// fake named for its host, else to Default, over plain HTTP with the base
// path cut down to /ip/... or /domain/.... It never dials anything but a
// loopback address.
type RDAPHosts struct {
	Default string            // host:port of the fake for hosts not in ByHost
	ByHost  map[string]string // real host -> fake host:port

	mu   sync.Mutex
	urls []string
}

// NewRDAPHosts sends every host to the RDAP fake r.
func NewRDAPHosts(r *RDAP) *RDAPHosts {
	return &RDAPHosts{Default: strings.TrimPrefix(strings.TrimSuffix(r.URL(), "/"), "http://")}
}

// RoundTrip implements http.RoundTripper.
func (h *RDAPHosts) RoundTrip(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.urls = append(h.urls, req.URL.String())
	target := h.Default
	if t, ok := h.ByHost[req.URL.Hostname()]; ok {
		target = t
	}
	h.mu.Unlock()
	u := *req.URL
	for _, kind := range []string{"/ip/", "/domain/"} {
		if i := strings.Index(u.Path, kind); i >= 0 {
			u.Path = u.Path[i:]
		}
	}
	u.Scheme, u.Host, u.RawPath, u.User = "http", target, "", nil
	out := req.Clone(req.Context())
	out.URL, out.Host = &u, ""
	return loopbackTransport.RoundTrip(out)
}

// Seen returns the URLs asked so far, in order.
func (h *RDAPHosts) Seen() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.urls...)
}

var loopbackTransport = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, _ := net.SplitHostPort(addr)
	if ip, err := netip.ParseAddr(host); err != nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("whoistest: refusing to dial %s", addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}}
