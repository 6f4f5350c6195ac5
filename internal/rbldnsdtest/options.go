package rbldnsdtest

import "time"

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

// seconds rounds d up to whole seconds, at least 1.
func seconds(d time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	return max(n, 1)
}
