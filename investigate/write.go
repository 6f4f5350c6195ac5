package investigate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/dnsblaudit/dnsblaudit/internal/atomicfile"
	"io"
	"os"
	"path/filepath"

	"github.com/dnsblaudit/dnsblaudit/internal/textsafe"
)

// Files of a case directory.
const (
	CaseFile     = "case.json"
	MarkdownFile = "report.md"
	HTMLFile     = "report.html"
	NoticesDir   = "notices"
)

// NoticeRenderer renders the notices of a case into the case directory, a
// dry run: files for review, nothing sent. It runs after case.json is
// written, so it may read it.
type NoticeRenderer interface {
	RenderNotices(ctx context.Context, caseDir string, c *Case) ([]Notice, error)
}

// WriteDir writes the case directory: case.json, the rendered notices
// (when nr is not nil), report.md and report.html. Each file is written
// whole or not at all (temporary file, then rename).
func WriteDir(ctx context.Context, dir string, c *Case, nr NoticeRenderer) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("case directory: %w", err)
	}
	if err := writeFile(dir, CaseFile, func(w io.Writer) error { return WriteJSON(w, c) }); err != nil {
		return err
	}
	if nr != nil {
		notices, err := nr.RenderNotices(ctx, dir, c)
		if err != nil {
			c.Warnings = append(c.Warnings, "notices: "+err.Error())
		}
		c.Notices = notices
		c.Timeline = Timeline(c)
		if err := writeFile(dir, CaseFile, func(w io.Writer) error { return WriteJSON(w, c) }); err != nil {
			return err
		}
	}
	if err := writeFile(dir, MarkdownFile, func(w io.Writer) error { return WriteMarkdown(w, c) }); err != nil {
		return err
	}
	return writeFile(dir, HTMLFile, func(w io.Writer) error { return WriteHTML(w, c) })
}

// WriteJSON writes the case as indented JSON (docs/case-json.md).
// Characters a terminal may obey are written as \uXXXX escapes
// (textsafe.JSONWriter): people read case.json with cat and less.
func WriteJSON(w io.Writer, c *Case) error {
	enc := json.NewEncoder(textsafe.JSONWriter(w))
	enc.SetIndent("", "  ")
	return enc.Encode(normalised(c))
}

// ErrCase marks a case.json that cannot be read as a case.
var ErrCase = errors.New("not a dnsblaudit case")

// ReadJSON reads a case.json.
func ReadJSON(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", path, err)
	}
	return ParseJSON(path, data)
}

// ParseJSON decodes a case; name is used in errors, which give the byte
// offset or field of a bad value.
func ParseJSON(name string, data []byte) (*Case, error) {
	var c Case
	err := json.Unmarshal(data, &c)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return nil, fmt.Errorf("case %s: at byte %d: %v: %w", name, se.Offset, err, ErrCase)
	case errors.As(err, &te):
		return nil, fmt.Errorf("case %s: field %q at byte %d: %v: %w", name, te.Field, te.Offset, err, ErrCase)
	case err != nil:
		return nil, fmt.Errorf("case %s: %v: %w", name, err, ErrCase)
	}
	if c.Schema != Schema {
		return nil, fmt.Errorf("case %s: schema %q, want %q: %w", name, c.Schema, Schema, ErrCase)
	}
	return &c, nil
}

// normalised makes empty lists encode as [] rather than null, so readers
// of case.json never have to tell the two apart.
func normalised(c *Case) *Case {
	n := *c
	n.Domains, n.Checks, n.Health = orEmpty(n.Domains), orEmpty(n.Checks), orEmpty(n.Health)
	n.Warnings, n.Listings, n.Contacts = orEmpty(n.Warnings), orEmpty(n.Listings), orEmpty(n.Contacts)
	n.Timeline, n.Notices = orEmpty(n.Timeline), orEmpty(n.Notices)
	n.Hypothesis.Facts = orEmpty(n.Hypothesis.Facts)
	// A copy of the explanations: the caller's case is not written to.
	n.Explanations = append([]Explanation{}, n.Explanations...)
	for i := range n.Explanations {
		n.Explanations[i].Facts = orEmpty(n.Explanations[i].Facts)
	}
	return &n
}

// orEmpty is s, or an empty slice when s is nil.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func writeFile(dir, name string, render func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := render(&buf); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	if err := atomicfile.Write(filepath.Join(dir, name), buf.Bytes(), 0o640); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}
