package rbldnsdtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// ErrNotInstalled means no rbldnsd binary was found.
var ErrNotInstalled = errors.New("rbldnsd not installed (Debian package rbldnsd)")

// EnvBinary names an environment variable that, when set, is the path of the
// rbldnsd binary to run.
const EnvBinary = "RBLDNSD"

// sbinPaths are tried after $PATH because Debian installs rbldnsd in
// /usr/sbin, which is not on an ordinary user's $PATH.
var sbinPaths = []string{"/usr/sbin/rbldnsd", "/usr/local/sbin/rbldnsd", "/sbin/rbldnsd"}

// Binary returns the path of the rbldnsd to run: $RBLDNSD, else rbldnsd on
// $PATH, else the usual sbin locations.
func Binary() (string, error) {
	if p := os.Getenv(EnvBinary); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$%s: %w", EnvBinary, err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("rbldnsd"); err == nil {
		return p, nil
	}
	for _, p := range sbinPaths {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", ErrNotInstalled
}
