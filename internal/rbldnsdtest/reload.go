package rbldnsdtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Rewrite replaces a data file atomically and waits until rbldnsd's own
// periodic mtime check (Options.CheckInterval) has reloaded it: the way a
// list operator's update reaches a live server. It fails with ErrZoneFile
// if rbldnsd rejects a line of the new data.
func (s *Server) Rewrite(ctx context.Context, file, data string) error {
	return s.rewrite(ctx, file, data, false)
}

// RewriteNow is Rewrite, but it signals rbldnsd (SIGHUP) to look at once
// instead of waiting for the next periodic check.
func (s *Server) RewriteNow(ctx context.Context, file, data string) error {
	return s.rewrite(ctx, file, data, true)
}

func (s *Server) rewrite(ctx context.Context, file, data string, signal bool) error {
	if !s.files[file] {
		return fmt.Errorf("%w: %q", ErrUnknownFile, file)
	}
	lines, _ := s.log.snapshot()
	before := count(lines, msgReloaded)
	if err := replaceFile(filepath.Join(s.dir, file), data); err != nil {
		return err
	}
	if signal {
		if err := s.signal(syscall.SIGHUP); err != nil {
			return err
		}
	}
	return s.waitReload(ctx, before)
}

// waitReload waits for a "zones reloaded" line after the first before ones
// and reports any data line rejected in that reload.
func (s *Server) waitReload(ctx context.Context, before int) error {
	// Two periods: the change may land just after a check began.
	timeout := 2*time.Duration(seconds(s.opts.CheckInterval))*time.Second + 5*time.Second
	reloaded := func(l []string) bool { return count(l, msgReloaded) > before }
	if err := s.waitLog(ctx, timeout, reloaded); err != nil {
		return fmt.Errorf("%w: %w; its output:\n%s", ErrNoReload, err, s.Log())
	}
	lines, _ := s.log.snapshot()
	if p := problems(lines[nthIndex(lines, msgReloaded, before):]); len(p) > 0 {
		return fmt.Errorf("%w: %s", ErrZoneFile, strings.Join(p, "; "))
	}
	return nil
}

// writeFile creates a data file readable by rbldnsd's unprivileged user.
func writeFile(path, data string) error {
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		return fmt.Errorf("write zone file: %w", err)
	}
	// WriteFile's mode is subject to the umask.
	if err := os.Chmod(path, 0o644); err != nil {
		return fmt.Errorf("write zone file: %w", err)
	}
	return nil
}

// replaceFile writes data next to path and renames it over path, so
// rbldnsd never reads a half-written file (rbldnsd(8), NOTES). The new
// file's mtime is at least one second later than the old one's, so that a
// change within the same second is still seen as a change.
func replaceFile(path, data string) error {
	old, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("zone file: %w", err)
	}
	tmp := path + ".new"
	if err := writeFile(tmp, data); err != nil {
		return err
	}
	mtime := time.Now()
	if floor := old.ModTime().Add(time.Second); mtime.Before(floor) {
		mtime = floor
	}
	if err := os.Chtimes(tmp, mtime, mtime); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("zone file mtime: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("replace zone file: %w", err)
	}
	return nil
}
