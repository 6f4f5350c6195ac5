package whoistest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RDAPReply is a canned RDAP answer.
type RDAPReply struct {
	Status     int           // 0 means 200
	Body       string        // JSON
	RetryAfter int           // seconds, sent with 429
	Location   string        // sent with a 3xx Status (a redirect)
	Delay      time.Duration // wait before answering (a slow server)
}

// RDAP is a fake RDAP server answering /ip/<addr> and /domain/<name>.
type RDAP struct {
	srv *httptest.Server

	mu     sync.Mutex
	routes routes[RDAPReply]
	names  map[string]RDAPReply
	hits   []string
}

// StartRDAP listens on 127.0.0.1:0 (httptest needs no testing.TB).
func StartRDAP() (*RDAP, error) {
	r := &RDAP{names: map[string]RDAPReply{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}}
	r.srv.Start()
	return r, nil
}

// URL is the base URL, usable as a --rdap-url value.
func (r *RDAP) URL() string { return r.srv.URL + "/" }

// Close stops the server.
func (r *RDAP) Close() error {
	r.srv.CloseClientConnections()
	r.srv.Close()
	return nil
}

// Route answers /ip/ queries for addresses in prefix, or /domain/ queries
// for exactly that name, with reply.
func (r *RDAP) Route(key string, reply RDAPReply) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := parseKey(key); ok {
		r.routes.add(p, reply)
		return
	}
	r.names[strings.ToLower(key)] = reply
}

// Hits returns the request paths received so far.
func (r *RDAP) Hits() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.hits...)
}

func (r *RDAP) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.hits = append(r.hits, req.URL.Path)
	reply, ok := r.lookup(req.URL.Path)
	r.mu.Unlock()
	if !ok {
		reply = RDAPReply{Status: http.StatusNotFound,
			Body: `{"errorCode":404,"title":"Not Found","description":["no object matches"],"rdapConformance":["rdap_level_0"]}`}
	}
	if reply.Delay > 0 {
		select {
		case <-time.After(reply.Delay):
		case <-req.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/rdap+json")
	if reply.Location != "" {
		w.Header().Set("Location", reply.Location)
	}
	if reply.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(reply.RetryAfter))
	}
	status := reply.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(reply.Body))
}

// lookup routes a request path; r.mu is held.
func (r *RDAP) lookup(path string) (RDAPReply, bool) {
	switch {
	case strings.HasPrefix(path, "/ip/"):
		a, err := netip.ParseAddr(strings.TrimPrefix(path, "/ip/"))
		if err != nil {
			return RDAPReply{}, false
		}
		return r.routes.match(a)
	case strings.HasPrefix(path, "/domain/"):
		reply, ok := r.names[strings.ToLower(strings.TrimPrefix(path, "/domain/"))]
		return reply, ok
	}
	return RDAPReply{}, false
}
