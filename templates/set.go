package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"
)

// The names of the default templates.
const (
	CallbackNotice  = "callback-notice"
	ListingEvidence = "listing-evidence"
	VendorInquiry   = "vendor-inquiry"
)

// Ext is the file extension of template files.
const Ext = ".tmpl"

// subjectBlock is the name of the optional block that yields the subject.
const subjectBlock = "subject"

// Errors callers can test with errors.Is.
var (
	ErrTemplate = errors.New("template error")
	ErrUnknown  = errors.New("no such template")
	ErrSubject  = errors.New("template has no subject")
)

//go:embed default/*.tmpl
var defaultFS embed.FS

// defaults are parsed once, on first use (not at start-up, which every
// command pays): a broken embedded template is a build defect, not a
// run-time condition.
var defaults = sync.OnceValue(func() *Set { return mustParseFS(defaultFS, "default") })

// Set is a collection of parsed templates by name.
type Set struct {
	byName map[string]entry
}

type entry struct {
	tmpl   *template.Template
	source string // "embedded" or the file it was read from
}

// Rendered is a template's output.
type Rendered struct {
	Subject string // one line, may be empty if the template defines none
	Body    string // wrapped to Width, ending in one newline
}

// Default returns the embedded templates.
func Default() *Set { return defaults() }

// Load returns the embedded templates overridden, by name, by the *.tmpl
// files of dir (and extended by any others there). An empty dir yields
// the defaults.
func Load(dir string) (*Set, error) {
	if dir == "" {
		return defaults(), nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"+Ext))
	if err != nil {
		return nil, fmt.Errorf("templates %s: %w", dir, err)
	}
	s := &Set{byName: make(map[string]entry, len(defaults().byName)+len(files))}
	for k, v := range defaults().byName {
		s.byName[k] = v
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		e, err := parse(filepath.Base(f), f, string(text))
		if err != nil {
			return nil, err
		}
		s.byName[strings.TrimSuffix(filepath.Base(f), Ext)] = e
	}
	return s, nil
}

func mustParseFS(fsys fs.FS, dir string) *Set {
	names, err := fs.Glob(fsys, path.Join(dir, "*"+Ext))
	if err != nil {
		panic(err)
	}
	s := &Set{byName: make(map[string]entry, len(names))}
	for _, n := range names {
		text, err := fs.ReadFile(fsys, n)
		if err != nil {
			panic(err)
		}
		e, err := parse(path.Base(n), "embedded", string(text))
		if err != nil {
			panic(err)
		}
		s.byName[strings.TrimSuffix(path.Base(n), Ext)] = e
	}
	return s
}

// parse names the template after its file, so that text/template's errors
// ("template: callback-notice.tmpl:12: ...") point at the right file and line.
func parse(file, source, text string) (entry, error) {
	t, err := template.New(file).Option("missingkey=error").Funcs(funcMap(time.UTC)).Parse(text)
	if err != nil {
		return entry{}, fmt.Errorf("%w: %s: %w", ErrTemplate, source, err)
	}
	return entry{tmpl: t, source: source}, nil
}

// Names lists the templates of the set, sorted.
func (s *Set) Names() []string {
	out := make([]string, 0, len(s.byName))
	for n := range s.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the set has a template called name.
func (s *Set) Has(name string) bool {
	_, ok := s.byName[name]
	return ok
}

// Source says where the template called name came from.
func (s *Set) Source(name string) string { return s.byName[name].source }

// Render executes the template called name on a sanitised copy of d, with
// the time helpers bound to d.Zone. Errors name the template file and line.
func (s *Set) Render(name string, d Data) (Rendered, error) {
	e, ok := s.byName[name]
	if !ok {
		return Rendered{}, fmt.Errorf("%w %q (have %s)", ErrUnknown, name, strings.Join(s.Names(), ", "))
	}
	d.Template = name
	if d.Zone == nil {
		d.Zone = time.UTC
	}
	clean := d.Sanitized()
	t, err := e.tmpl.Clone()
	if err != nil {
		return Rendered{}, fmt.Errorf("%w: %s: %w", ErrTemplate, name, err)
	}
	t.Funcs(funcMap(clean.Zone))
	var body bytes.Buffer
	if err := t.Execute(&body, clean); err != nil {
		return Rendered{}, fmt.Errorf("%w: %s (%s): %w", ErrTemplate, name, e.source, err)
	}
	out := Rendered{Body: tidy(body.String())}
	if sub := t.Lookup(subjectBlock); sub != nil {
		var b bytes.Buffer
		if err := sub.Execute(&b, clean); err != nil {
			return Rendered{}, fmt.Errorf("%w: %s (%s): %w", ErrTemplate, name, e.source, err)
		}
		out.Subject = strings.Join(strings.Fields(b.String()), " ")
	}
	return out, nil
}

// tidy drops trailing blanks, runs of blank lines that template actions
// leave behind, and wraps the text to Width.
func tidy(body string) string {
	lines := strings.Split(strings.ReplaceAll(body, "\r", ""), "\n")
	out := make([]string, 0, len(lines))
	blank := true // also drops leading blank lines
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	text := strings.TrimRight(strings.Join(out, "\n"), "\n")
	return Wrap(text, Width) + "\n"
}
