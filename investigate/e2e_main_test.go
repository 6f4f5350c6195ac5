package investigate_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// bin is the dnsblaudit binary the end-to-end tests run, built once;
// buildErr says why it could not be built (the unit tests still run).
var (
	bin      string
	buildErr error
)

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "dnsblaudit-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "dnsblaudit")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/dnsblaudit/dnsblaudit/cmd/dnsblaudit").CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("build dnsblaudit: %v\n%s", err, out)
	}
	return m.Run()
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// run runs the binary with args and an environment holding nothing that
// could point it at a real resolver or state file of the machine.
func run(t *testing.T, args ...string) result {
	t.Helper()
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	cmd := exec.Command(bin, args...)
	home := t.TempDir()
	cmd.Env = []string{"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"), "TMPDIR=" + home, "PATH=" + os.Getenv("PATH"), "TZ=UTC"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %v: %v", args, err)
	}
	return r
}
