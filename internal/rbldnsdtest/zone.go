package rbldnsdtest

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Zone is one zone rbldnsd serves from one data file.
type Zone struct {
	// Name is the zone's base name, e.g. "bl.example.test".
	Name string
	// Type is the rbldnsd dataset type: ip4set, ip4tset, ip4trie, ip6trie,
	// ip6tset, dnset, generic or combined (rbldnsd(8), DATASET TYPES).
	Type string
	// File is the data file's name inside the server's directory. Empty
	// means Name + "." + Type. Several zones may share one file (rbldnsd
	// then loads it once); give its Data in one of them only, or the same
	// Data in each.
	File string
	// Data is the file's contents in rbldnsd's format for Type.
	Data string
}

// ErrBadZone marks a zone specification the harness cannot use.
var ErrBadZone = errors.New("bad zone")

// fileName is the zone's data file name, defaulted.
func (z Zone) fileName() string {
	if z.File != "" {
		return z.File
	}
	return z.Name + "." + z.Type
}

// spec is the zone argument rbldnsd takes: zone:type:file.
func (z Zone) spec() string { return z.Name + ":" + z.Type + ":" + z.fileName() }

// validate rejects what would make rbldnsd misread its argument or let a
// file name escape the server's directory.
func (z Zone) validate() error {
	if z.Name == "" || strings.ContainsAny(z.Name, ": \t\n") {
		return fmt.Errorf("%w: zone name %q", ErrBadZone, z.Name)
	}
	if z.Type == "" || strings.ContainsAny(z.Type, ": \t\n,") {
		return fmt.Errorf("%w: zone %s: dataset type %q", ErrBadZone, z.Name, z.Type)
	}
	f := z.fileName()
	if f != filepath.Base(f) || f == "." || f == ".." || strings.ContainsAny(f, ":,") {
		return fmt.Errorf("%w: zone %s: file name %q must be a plain name without ':' or ','", ErrBadZone, z.Name, f)
	}
	return nil
}

// files maps each data file to its contents, refusing two different
// contents for one file.
func files(zones []Zone) (map[string]string, error) {
	if len(zones) == 0 {
		return nil, fmt.Errorf("%w: no zones", ErrBadZone)
	}
	out := make(map[string]string, len(zones))
	for _, z := range zones {
		if err := z.validate(); err != nil {
			return nil, err
		}
		f := z.fileName()
		prev, seen := out[f]
		switch {
		case !seen || prev == "":
			out[f] = z.Data
		case z.Data != "" && z.Data != prev:
			return nil, fmt.Errorf("%w: file %s given two different contents", ErrBadZone, f)
		}
	}
	return out, nil
}
