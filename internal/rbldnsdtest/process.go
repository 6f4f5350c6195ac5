package rbldnsdtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
	"time"
)

// args builds rbldnsd's command line: foreground (-n), one loopback
// socket (the address and port separated by "/"), the check interval, and
// either a chroot with an unprivileged user (when root, since rbldnsd
// refuses to serve as root) or the plain working directory.
func (s *Server) args(dir string, opts Options, zones []Zone) []string {
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
	return args
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
