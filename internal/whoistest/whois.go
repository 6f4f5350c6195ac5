package whoistest

import (
	"bufio"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Mode is how a fake server answers.
type Mode int

// Answer modes.
const (
	Answer  Mode = iota // send Text and close
	Silent              // accept, read the query, never answer
	Trickle             // send Text one byte every TrickleEvery, forever
	Flood               // send Size bytes of filler after Text
)

// Reply is a canned answer.
type Reply struct {
	Text string
	Mode Mode
	Size int64 // Flood: bytes to send
}

// TrickleEvery is the pause between two bytes in Trickle mode.
const TrickleEvery = 50 * time.Millisecond

// WHOIS is a fake port-43 server. Queries are routed by address (longest
// matching prefix, after stripping ARIN's "n + " flags) or by exact name.
type WHOIS struct {
	ln   net.Listener
	done chan struct{}
	wg   sync.WaitGroup

	mu      sync.Mutex
	routes  routes[Reply]
	names   map[string]Reply
	queries []string
	conns   map[net.Conn]bool
}

// StartWHOIS listens on 127.0.0.1:0 and serves until Close.
func StartWHOIS() (*WHOIS, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &WHOIS{ln: ln, done: make(chan struct{}), names: map[string]Reply{}, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.serve()
	return s, nil
}

// Addr is "127.0.0.1:port", usable as a --whois-server value.
func (s *WHOIS) Addr() string { return s.ln.Addr().String() }

// Route answers queries for an address in prefix (a CIDR or an address),
// or for exactly that name, with r.
func (s *WHOIS) Route(key string, r Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := parseKey(key); ok {
		s.routes.add(p, r)
		return
	}
	s.names[strings.ToLower(key)] = r
}

// Queries returns the queries received so far, in order.
func (s *WHOIS) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

// Close stops the server and cuts open connections.
func (s *WHOIS) Close() error {
	close(s.done)
	err := s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

func (s *WHOIS) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(c)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
			_ = c.Close()
		}()
	}
}

func (s *WHOIS) handle(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(io.LimitReader(c, 4096)).ReadString('\n')
	if err != nil {
		return
	}
	q := strings.TrimSpace(line)
	s.mu.Lock()
	s.queries = append(s.queries, q)
	r, ok := s.lookup(q)
	s.mu.Unlock()
	if !ok {
		r = Reply{Text: notFound(q)}
	}
	s.reply(c, r)
}

// lookup finds the reply for q; s.mu is held.
func (s *WHOIS) lookup(q string) (Reply, bool) {
	key := strings.TrimPrefix(strings.TrimPrefix(q, "n + "), "-B ")
	if a, err := netip.ParseAddr(key); err == nil {
		return s.routes.match(a)
	}
	r, ok := s.names[strings.ToLower(key)]
	return r, ok
}

func (s *WHOIS) reply(c net.Conn, r Reply) {
	_ = c.SetWriteDeadline(time.Time{})
	switch r.Mode {
	case Silent:
		<-s.done
	case Trickle:
		s.trickle(c, r.Text)
	case Flood:
		_, _ = io.WriteString(c, r.Text)
		_, _ = io.CopyN(c, filler{}, r.Size)
	default:
		_, _ = io.WriteString(c, r.Text)
	}
}

func (s *WHOIS) trickle(c net.Conn, text string) {
	for i := 0; ; i++ {
		b := byte('.')
		if text != "" {
			b = text[i%len(text)]
		}
		if _, err := c.Write([]byte{b}); err != nil {
			return
		}
		select {
		case <-s.done:
			return
		case <-time.After(TrickleEvery):
		}
	}
}

// filler is an endless reader of remarks-like lines.
type filler struct{}

func (filler) Read(p []byte) (int, error) {
	const line = "remarks:        filler filler filler filler filler filler filler\n"
	for i := range p {
		p[i] = line[i%len(line)]
	}
	return len(p), nil
}

func notFound(q string) string {
	return "% This is a test WHOIS server.\n\n%ERROR:101: no entries found\n%\n% No entries found in source TEST for " +
		strings.ReplaceAll(q, "\n", " ") + ".\n"
}

// parseKey reads a CIDR or an address as a prefix.
func parseKey(key string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(key); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(key); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// routes is a longest-prefix-match table.
type routes[T any] struct {
	entries []routeEntry[T]
}

type routeEntry[T any] struct {
	prefix netip.Prefix
	value  T
}

func (r *routes[T]) add(p netip.Prefix, v T) {
	for i := range r.entries {
		if r.entries[i].prefix == p {
			r.entries[i].value = v
			return
		}
	}
	r.entries = append(r.entries, routeEntry[T]{p, v})
}

func (r *routes[T]) match(a netip.Addr) (T, bool) {
	var best *routeEntry[T]
	for i := range r.entries {
		e := &r.entries[i]
		if e.prefix.Contains(a.Unmap()) && (best == nil || e.prefix.Bits() > best.prefix.Bits()) {
			best = e
		}
	}
	if best == nil {
		var zero T
		return zero, false
	}
	return best.value, true
}
