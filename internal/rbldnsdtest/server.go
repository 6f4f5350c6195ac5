package rbldnsdtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Errors Start and the reload methods return, wrapped with detail and the
// server's log.
var (
	ErrExited      = errors.New("rbldnsd exited")
	ErrNotReady    = errors.New("rbldnsd did not answer in time")
	ErrZoneFile    = errors.New("rbldnsd rejected zone data")
	ErrNoReload    = errors.New("rbldnsd did not reload in time")
	ErrUnknownFile = errors.New("not a data file of this server")
)

// bindAttempts bounds retries when the port picked was taken by someone
// else between picking and rbldnsd binding it.
const bindAttempts = 5

// Server is a running rbldnsd. Close it when done.
type Server struct {
	opts  Options
	addr  netip.AddrPort
	dir   string
	files map[string]bool
	cmd   *exec.Cmd
	log   *logBuffer
	done  chan struct{} // closed when the process has exited
	wait  error         // the process's exit status, valid after done

	closeOnce sync.Once
	closeErr  error
}

// Start writes the zones' data files into a fresh private directory and
// runs rbldnsd on 127.0.0.1 (::1 with Options.IPv6) at a free UDP port,
// returning once it answers.
// A data line rbldnsd rejects is an error (ErrZoneFile) naming file and
// line: a fixture that silently lost entries would make tests lie.
func Start(ctx context.Context, opts Options, zones ...Zone) (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	data, err := files(zones)
	if err != nil {
		return nil, err
	}
	dir, err := writeDir(data)
	if err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	for attempt := 1; ; attempt++ {
		s, err := launch(ctx, bin, dir, opts, zones)
		if err == nil {
			s.files = make(map[string]bool, len(data))
			for f := range data {
				s.files[f] = true
			}
			return s, nil
		}
		if !errors.Is(err, errPortTaken) || attempt == bindAttempts {
			_ = os.RemoveAll(dir)
			return nil, err
		}
	}
}

var errPortTaken = errors.New("port taken")

// writeDir creates the server directory. It is world-readable (0755, files
// 0644) because rbldnsd started by root reads the files after dropping to
// its unprivileged user; it chroots into the directory, so the directory's
// parents need not be readable.
func writeDir(data map[string]string) (string, error) {
	dir, err := os.MkdirTemp("", "rbldnsdtest-")
	if err != nil {
		return "", fmt.Errorf("rbldnsd directory: %w", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("rbldnsd directory: %w", err)
	}
	for name, contents := range data {
		if err := writeFile(filepath.Join(dir, name), contents); err != nil {
			_ = os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// launch starts one rbldnsd and waits until it answers.
func launch(ctx context.Context, bin, dir string, opts Options, zones []Zone) (*Server, error) {
	host := loopback(opts.IPv6)
	port, err := pickPort(host)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts: opts,
		addr: netip.AddrPortFrom(host, port),
		dir:  dir,
		log:  newLogBuffer(),
		done: make(chan struct{}),
	}
	if err := s.exec(bin, s.args(dir, opts, zones)); err != nil {
		return nil, err
	}
	if err := s.waitReady(ctx, zones[0].Name); err != nil {
		_ = s.stop()
		if strings.Contains(s.log.String(), msgInUse) {
			return nil, fmt.Errorf("%w: %w", errPortTaken, err)
		}
		return nil, err
	}
	return s, nil
}

// pickPort is freeUDPPort; tests replace it.
var pickPort = freeUDPPort

// loopback is 127.0.0.1, or ::1 for IPv6.
func loopback(v6 bool) netip.Addr {
	if v6 {
		return netip.IPv6Loopback()
	}
	return netip.AddrFrom4([4]byte{127, 0, 0, 1})
}

// freeUDPPort asks the kernel for a free UDP port on host and releases it
// for rbldnsd to bind. Another process may grab it in between; Start then
// retries with a new port.
func freeUDPPort(host netip.Addr) (uint16, error) {
	pc, err := net.ListenPacket("udp", netip.AddrPortFrom(host, 0).String())
	if err != nil {
		return 0, fmt.Errorf("free UDP port: %w", err)
	}
	defer pc.Close()
	return uint16(pc.LocalAddr().(*net.UDPAddr).Port), nil
}

// Addr is the server's address as "127.0.0.1:port" (or "[::1]:port"), the
// form resolvers and --resolver take.
func (s *Server) Addr() string { return s.addr.String() }

// AddrPort is the server's address.
func (s *Server) AddrPort() netip.AddrPort { return s.addr }

// Port is the server's UDP port.
func (s *Server) Port() int { return int(s.addr.Port()) }

// Dir is the directory holding the data files.
func (s *Server) Dir() string { return s.dir }

// Log returns everything rbldnsd printed so far.
func (s *Server) Log() string { return s.log.String() }

// Pid is the rbldnsd process id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Close stops rbldnsd (SIGTERM, then SIGKILL after 5s) and removes its
// directory. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = s.stop()
		if err := os.RemoveAll(s.dir); err != nil && s.closeErr == nil {
			s.closeErr = fmt.Errorf("remove rbldnsd directory: %w", err)
		}
	})
	return s.closeErr
}
