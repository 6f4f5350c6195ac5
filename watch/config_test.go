package watch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConfigValidateNamesTheField(t *testing.T) {
	cases := map[string]Config{
		"watch.every":                 {Every: 10 * time.Millisecond},
		"watch.confirm_runs":          {ConfirmRuns: 101},
		"watch.unknown_after":         {UnknownAfter: -time.Hour},
		"watch.exec":                  {Exec: []string{""}},
		"watch.serve.interval":        {Serve: ServeConfig{Interval: time.Millisecond}},
		"watch.serve.probe_rate":      {Serve: ServeConfig{ProbeRate: -1}},
		"watch.mail.from":             {Mail: MailConfig{Host: "smtp.example.org", To: []string{"a@example.org"}}},
		"watch.mail.tls":              {Mail: MailConfig{Host: "h", From: "a@x", To: []string{"b@x"}, TLS: "yes"}},
		"watch.serve.probe_cache_ttl": {Serve: ServeConfig{ProbeCacheTTL: -time.Second}},
	}
	for field, c := range cases {
		err := c.Validate()
		if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: err = %v", field, err)
		}
	}
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
	d := Config{}.WithDefaults()
	if d.ConfirmRuns != DefaultConfirmRuns || d.UnknownAfter != DefaultUnknownAfter || d.Serve.Listen != "127.0.0.1:9153" {
		t.Errorf("defaults = %+v", d)
	}
}

// TestSlowHookDoesNotHoldTheLock: the run lock is free while alerts are
// being delivered.
func TestSlowHookDoesNotHoldTheLock(t *testing.T) {
	dns := slowList(t, time.Millisecond, "192.0.2.1")
	path := t.TempDir() + "/state.db"
	db := openState(t, path, nil)
	var lockFree error = errors.New("hook not run")
	probe := alertFunc(func() error {
		l, err := openState(t, path, nil).LockRuns(t.Context(), time.Nanosecond)
		if err == nil {
			l.Unlock()
		}
		lockFree = err
		return nil
	})
	r := NewRunner(Config{ConfirmRuns: 1}, newDNSBLChecker(t, dns.Addr), db, probe)
	if _, err := r.Run(t.Context(), []string{"192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	if lockFree != nil {
		t.Errorf("lock during alerting: %v", lockFree)
	}
}

type alertFunc func() error

func (f alertFunc) Alert(_ context.Context, _ *Report) error { return f() }
