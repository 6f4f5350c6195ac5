package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// maxHookOutput bounds what a hook's output we keep for the error message.
const maxHookOutput = 2048

// ExecHook runs a command once per change with the change as one JSON
// object on stdin (the same object as `watch --format json` prints), and
// DNSBLAUDIT_CHANGE_KIND, DNSBLAUDIT_TARGET and DNSBLAUDIT_LIST in its
// environment for simple scripts. No shell is involved.
type ExecHook struct {
	Argv    []string
	Timeout time.Duration
	// HideEnv names environment variables that hold secrets (SMTP
	// passwords, DQS keys): the hook does not inherit them, since it needs
	// none and its output is quoted in our error messages.
	HideEnv []string
}

// Alert runs the hook for every change; a hook that fails or times out is
// reported with its exit status and the start of its stderr.
func (h ExecHook) Alert(ctx context.Context, rep *Report) error {
	var failed []string
	for _, c := range rep.Changes {
		if err := h.run(ctx, c); err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("exec hook %s: %s", h.Argv[0], strings.Join(failed, "; "))
	}
	return nil
}

func (h ExecHook) run(ctx context.Context, c Change) error {
	payload, err := json.Marshal(c)
	if err != nil {
		return err
	}
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultHookTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.Argv[0], h.Argv[1:]...)
	cmd.Stdin = bytes.NewReader(append(payload, '\n'))
	cmd.Env = append(h.environ(), "DNSBLAUDIT_CHANGE_KIND="+string(c.Kind),
		"DNSBLAUDIT_TARGET="+c.Target, "DNSBLAUDIT_LIST="+c.List)
	var out limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = time.Second // a hook's orphaned children must not hold us
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("timed out after %s", timeout)
		}
		return fmt.Errorf("%s: %w: %s", c.Headline(), err, textsafe.Line(strings.TrimSpace(out.String())))
	}
	return nil
}

// environ is our environment without the variables named in HideEnv.
func (h ExecHook) environ() []string {
	env := os.Environ()
	if len(h.HideEnv) == 0 {
		return env
	}
	out := env[:0]
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(h.HideEnv, name) {
			out = append(out, kv)
		}
	}
	return out
}

// limitedBuffer keeps the first maxHookOutput bytes and drops the rest.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxHookOutput - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// MailAlert mails one plain-text summary per run with changes.
type MailAlert struct{ Mailer Mailer }

// Alert sends the summary.
func (m MailAlert) Alert(ctx context.Context, rep *Report) error {
	return m.Mailer.Send(ctx, mailSubject(rep.Changes), mailBody(rep))
}

// Channel names the hook in the alert outbox.
func (h ExecHook) Channel() string { return "exec" }

// Channel names the mail alert in the alert outbox.
func (m MailAlert) Channel() string { return "mail" }
