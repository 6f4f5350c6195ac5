package rbldnsdtest

import (
	"fmt"
	"syscall"
)

// Freeze stops rbldnsd (SIGSTOP) without closing its socket: queries are
// neither answered nor refused, as when a list's server is overloaded or
// a firewall drops the packets, so clients see timeouts. Thaw resumes it;
// queries that arrived meanwhile are answered late, if the socket buffer
// kept them.
func (s *Server) Freeze() error { return s.signal(syscall.SIGSTOP) }

// Thaw resumes a frozen rbldnsd (SIGCONT).
func (s *Server) Thaw() error { return s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) error {
	select {
	case <-s.done:
		return s.exitError()
	default:
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		return fmt.Errorf("signal rbldnsd: %w", err)
	}
	return nil
}
