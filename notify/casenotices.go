package notify

import (
	"fmt"
	"path/filepath"
	"strings"
)

// CaseNotice is one entry of case.json's "notices": a rendered file and
// what it is about (docs/case-json.md).
type CaseNotice struct {
	File    string   `json:"file"` // relative to the case directory
	Kind    string   `json:"kind"`
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	About   []string `json:"about"`
	Desk    string   `json:"desk"` // dedupe desk, lower case
	Keys    []string `json:"keys"` // incident keys the notice covers
}

// ReadCaseNotices reads the notices listed in DIR/case.json, with their
// files' paths made absolute under dir. A path that leaves the case
// directory is refused: case.json is a file someone may have edited.
func ReadCaseNotices(dir string) ([]CaseNotice, error) {
	path := filepath.Join(dir, "case.json")
	data, err := readLimited(path)
	if err != nil {
		return nil, err
	}
	return ParseCaseNotices(dir, path, data)
}

// ParseCaseNotices is ReadCaseNotices on case.json's bytes; name is used
// in errors.
func ParseCaseNotices(dir, name string, data []byte) ([]CaseNotice, error) {
	var f struct {
		Notices []CaseNotice `json:"notices"`
	}
	if err := decodeJSON(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrInput, name, err)
	}
	for i, n := range f.Notices {
		clean := filepath.Clean(n.File)
		if n.File == "" || filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("%w: %s: notices[%d].file %q is not inside the case directory", ErrInput, name, i, n.File)
		}
		f.Notices[i].File = filepath.Join(dir, clean)
	}
	return f.Notices, nil
}
