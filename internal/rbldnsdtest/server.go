package rbldnsdtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options tune how rbldnsd runs. The zero value is ready to use.
type Options struct {
	// CheckInterval is rbldnsd's -c: how often it compares zone file
	// mtimes and reloads changed files. Default 1s (rbldnsd's own default
	// is 1m, too slow for tests). It has one-second resolution.
	CheckInterval time.Duration
	// TTL is rbldnsd's -t default TTL for answers; 0 keeps rbldnsd's 35m.
	TTL time.Duration
	// ReadyTimeout bounds how long Start waits for the first answer.
	// Default 15s.
	ReadyTimeout time.Duration
	// IPv6 makes rbldnsd listen on ::1 instead of 127.0.0.1, for clients'
	// IPv6 transport.
	IPv6 bool
	// Args are extra rbldnsd options, placed before the zones.
	Args []string
}

func (o Options) withDefaults() Options {
	if o.CheckInterval <= 0 {
		o.CheckInterval = time.Second
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = 15 * time.Second
	}
	return o
}

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
// runs rbldnsd on 127.0.0.1 at a free UDP port, returning once it answers.
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
	args, err := s.args(dir, opts, zones)
	if err != nil {
		return nil, err
	}
	if err := s.exec(bin, args); err != nil {
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

// args builds rbldnsd's command line: foreground (-n), one loopback
// socket (the address and port separated by "/"), the check interval, and
// either a chroot with an unprivileged user (when root, since rbldnsd
// refuses to serve as root) or the plain working directory.
func (s *Server) args(dir string, opts Options, zones []Zone) ([]string, error) {
	family := "-4"
	if opts.IPv6 {
		family = "-6"
	}
	args := []string{"-n", family, "-b", fmt.Sprintf("%s/%d", s.addr.Addr(), s.addr.Port()),
		"-c", strconv.Itoa(seconds(opts.CheckInterval))}
	if opts.TTL > 0 {
		args = append(args, "-t", strconv.Itoa(seconds(opts.TTL)))
	}
	if os.Geteuid() == 0 {
		args = append(args, "-u", unprivilegedUser(), "-r", dir, "-w", "/")
	} else {
		args = append(args, "-w", dir)
	}
	args = append(args, opts.Args...)
	for _, z := range zones {
		args = append(args, z.spec())
	}
	return args, nil
}

// seconds rounds d up to whole seconds, at least 1.
func seconds(d time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	return max(n, 1)
}

// unprivilegedUser is the user rbldnsd drops to when started as root: the
// Debian package's "rbldns", else nobody:nogroup by number.
func unprivilegedUser() string {
	if _, err := user.Lookup("rbldns"); err == nil {
		return "rbldns"
	}
	return "65534:65534"
}

// exec starts the process with its output captured.
func (s *Server) exec(bin string, args []string) error {
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("rbldnsd output pipe: %w", err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return fmt.Errorf("start %s: %w", bin, err)
	}
	w.Close()
	s.cmd = cmd
	consumed := make(chan struct{})
	go func() {
		s.log.consume(r)
		close(consumed)
	}()
	go func() {
		s.wait = cmd.Wait()
		// Its last words ("unable to bind ...") must be in the log before
		// anyone learns that it exited. A child rbldnsd forked for a
		// reload (-f) could hold the pipe open; do not wait for it long.
		select {
		case <-consumed:
		case <-time.After(2 * time.Second):
		}
		r.Close()
		close(s.done)
	}()
	return nil
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

// stop ends the process and waits for it.
func (s *Server) stop() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	// A frozen process cannot act on SIGTERM until it is continued.
	_ = s.cmd.Process.Signal(syscall.SIGCONT)
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		return nil
	case <-time.After(5 * time.Second):
	}
	if err := s.cmd.Process.Kill(); err != nil {
		return fmt.Errorf("kill rbldnsd: %w", err)
	}
	<-s.done
	return nil
}

// exitError describes an unexpected exit, with the log for diagnosis.
func (s *Server) exitError() error {
	return fmt.Errorf("%w (%v); its output:\n%s", ErrExited, s.wait, s.Log())
}
