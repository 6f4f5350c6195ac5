package bounce

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoInput is returned when none of the paths given could be read.
var ErrNoInput = errors.New("no bounce could be read")

// maxFileSize bounds what is read of one file: a mail folder larger than
// this is a mistake (or an attack), not a pile of bounces.
const maxFileSize = 512 << 20

// ReadPaths reads every path — a message file (.eml), an mbox file, a
// Maildir folder or a folder of such files — and classifies each failure
// with cls. A file that cannot be read is a Problem, not an error; the
// error is for no readable input at all.
func ReadPaths(ctx context.Context, paths []string, cls *Classifier) (*Report, error) {
	rep := &Report{Schema: Schema, Failures: []Failure{}, Problems: []Problem{}}
	for _, p := range paths {
		files, problems := expand(p)
		rep.Problems = append(rep.Problems, problems...)
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			readFile(rep, f, cls)
		}
	}
	if rep.Files == 0 {
		return rep, ErrNoInput
	}
	return rep, nil
}

// expand turns a path into the files to read: the path itself, or every
// regular file under a folder (a Maildir's cur/ and new/ are folders
// like any other; its tmp/ holds deliveries in progress and is skipped),
// sorted so that runs are reproducible. What cannot be read is a
// problem; the rest of the folder is still read.
func expand(path string) ([]string, []Problem) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, []Problem{{File: path, Error: err.Error()}}
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	var files []string
	var problems []Problem
	_ = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, Problem{File: p, Error: err.Error()})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() && d.Name() == "tmp" && isMaildir(filepath.Dir(p)) {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() && !skippedName(d.Name()) {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, problems
}

// isMaildir: a folder with cur/ and new/ (the Maildir layout, maildir(5)).
func isMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err != nil || !st.IsDir() {
			return false
		}
	}
	return true
}

// skippedName: files in a mail folder that are not mail (licences,
// Dovecot and Courier index files, editors' leftovers).
func skippedName(name string) bool {
	switch name {
	case "LICENSE", "LICENSE.txt", "README", "README.md", "maildirfolder", "dovecot-uidlist", "dovecot-keywords", "courierimapuiddb":
		return true
	}
	return name[0] == '.' || strings.HasPrefix(name, "dovecot.") || strings.HasPrefix(name, "courierimap") ||
		filepath.Ext(name) == ".md" || filepath.Ext(name) == ".go"
}

func readFile(rep *Report, path string, cls *Classifier) {
	data, err := readLimited(path)
	if err != nil {
		rep.Problems = append(rep.Problems, Problem{File: path, Error: err.Error()})
		return
	}
	rep.Files++
	for i, raw := range SplitMessages(data) {
		rep.Messages++
		res := Parse(raw)
		for _, w := range res.Warnings {
			rep.Problems = append(rep.Problems, Problem{File: path, Message: i + 1, Error: w})
		}
		if len(res.Failures) == 0 {
			rep.NoFailure++
		}
		for _, f := range res.Failures {
			f.File, f.Message = path, i+1
			if cls != nil {
				f.Rejection = cls.Classify(f)
			}
			rep.Failures = append(rep.Failures, f)
		}
	}
}

func readLimited(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Size() > maxFileSize {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d a mail file may have", path, st.Size(), maxFileSize)
	}
	return os.ReadFile(path)
}

// SplitMessages returns the messages of a file with their line endings
// made LF: one message, or each message of an mbox (a file whose first
// line is a "From " separator, RFC 4155). CRLF and bare CR (old Mac
// mailers) are read as LF, which is what net/mail and mime/multipart
// then see.
func SplitMessages(data []byte) [][]byte {
	data = normalizeNewlines(data)
	if !bytes.HasPrefix(data, []byte("From ")) {
		return [][]byte{data}
	}
	var msgs [][]byte
	for len(data) > 0 {
		// Skip the separator line itself.
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			break
		}
		data = data[nl+1:]
		end := bytes.Index(data, []byte("\n\nFrom "))
		if end < 0 {
			msgs = append(msgs, unescapeFrom(data))
			break
		}
		msgs = append(msgs, unescapeFrom(data[:end+1]))
		data = data[end+2:]
	}
	return msgs
}

// unescapeFrom undoes mboxrd quoting (">From " at the start of a body
// line, RFC 4155 §2), which would otherwise hide a quoted "From " line.
func unescapeFrom(msg []byte) []byte {
	if !bytes.Contains(msg, []byte("\n>From ")) {
		return msg
	}
	return bytes.ReplaceAll(msg, []byte("\n>From "), []byte("\nFrom "))
}

func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}
