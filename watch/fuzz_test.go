package watch

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzConfig: any "watch" section either decodes and validates, or is
// refused with an error; nothing panics, and a valid section stays valid
// with its defaults applied.
func FuzzConfig(f *testing.F) {
	f.Add([]byte("confirm_runs: 2\nunknown_after: 24h\nexec: [/bin/true]\n"))
	f.Add([]byte("every: 1h\nmail: {host: smtp.example.org, from: a@example.org, to: [b@example.org], tls: implicit}\n"))
	f.Add([]byte("serve: {listen: '127.0.0.1:9153', interval: 5m, probe_rate: 0.5, probe_burst: 3}\n"))
	f.Add([]byte("every: -1s\nconfirm_runs: 1000\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Config
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return
		}
		if err := c.Validate(); err != nil {
			if !errors.Is(err, ErrBadConfig) {
				t.Fatalf("validation error not marked ErrBadConfig: %v", err)
			}
			return
		}
		d := c.WithDefaults()
		if err := d.Validate(); err != nil {
			t.Fatalf("defaults made a valid config invalid: %v", err)
		}
		if d.ConfirmRuns < 1 || d.LockWait <= 0 || d.Serve.Interval <= 0 {
			t.Fatalf("defaults not applied: %+v", d)
		}
	})
}
