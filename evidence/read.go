package evidence

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Named errors of the readers.
var (
	// ErrNoInput: none of the inputs could be read.
	ErrNoInput = errors.New("no readable input")
	// ErrNoMatch: a glob matched no file.
	ErrNoMatch = errors.New("no file matches")
	// ErrCompression: the file is compressed in a way this package cannot read.
	ErrCompression = errors.New("unsupported compression")
)

// input is one thing to read: a file, or stdin ("-").
type input struct {
	name string
	path string // "" for stdin
}

// expandInputs turns paths and globs into inputs, in the order given, each
// glob sorted; a file named twice is read once. Patterns that match nothing
// come back as errors, to be reported next to the files that were read.
func expandInputs(patterns []string) ([]input, []FileStats) {
	var ins []input
	var bad []FileStats
	seen := map[string]bool{}
	add := func(in input) {
		key := filepath.Clean(in.path)
		if in.path == "" {
			key = "-"
		}
		if !seen[key] {
			seen[key] = true
			ins = append(ins, in)
		}
	}
	for _, p := range patterns {
		if p == "-" {
			add(input{name: "-"})
			continue
		}
		if !strings.ContainsAny(p, "*?[") {
			add(input{name: p, path: p})
			continue
		}
		matches, err := filepath.Glob(p)
		if err != nil || len(matches) == 0 {
			if err == nil {
				err = ErrNoMatch
			}
			bad = append(bad, FileStats{File: p, Error: err.Error()})
			continue
		}
		sortRotated(matches)
		for _, m := range matches {
			add(input{name: m, path: m})
		}
	}
	return ins, bad
}

// InputFiles names the files the scan reads for patterns, in the scan's
// order (rotated files oldest first, a file named twice once), leaving out
// standard input and globs that match nothing: for another pass over the
// same logs, such as the outbound side's.
func InputFiles(patterns []string) []string {
	ins, _ := expandInputs(patterns)
	var files []string
	for _, in := range ins {
		if in.path != "" {
			files = append(files, in.path)
		}
	}
	return files
}

// openInput opens in and undoes gzip or bzip2 compression, recognised by
// magic bytes (RFC 1952 §2.3.1: 1f 8b; bzip2: "BZh"), not by the name.
// modTime is the file's mtime (zero for stdin), the reference for RFC 3164
// years.
func openInput(in input, stdin io.Reader) (r io.Reader, closer func() error, modTime time.Time, compression string, err error) {
	var f *os.File
	var src io.Reader = stdin
	closer = func() error { return nil }
	if in.path != "" {
		f, err = os.Open(in.path)
		if err != nil {
			return nil, nil, time.Time{}, "", err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, nil, time.Time{}, "", err
		}
		if fi.IsDir() {
			f.Close()
			return nil, nil, time.Time{}, "", fmt.Errorf("%s: is a directory", in.path)
		}
		modTime, src, closer = fi.ModTime(), f, f.Close
	}
	if src == nil {
		return nil, nil, time.Time{}, "", errors.New("no standard input")
	}
	br := bufio.NewReaderSize(src, 64<<10)
	magic, _ := br.Peek(6)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			closer()
			return nil, nil, time.Time{}, "", fmt.Errorf("gzip: %w", err)
		}
		return zr, closer, modTime, "gzip", nil
	case bytes.HasPrefix(magic, []byte("BZh")):
		return bzip2.NewReader(br), closer, modTime, "bzip2", nil
	case bytes.HasPrefix(magic, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		closer()
		return nil, nil, time.Time{}, "", fmt.Errorf("xz: %w (decompress it first)", ErrCompression)
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		closer()
		return nil, nil, time.Time{}, "", fmt.Errorf("zstd: %w (decompress it first)", ErrCompression)
	}
	return br, closer, modTime, "", nil
}

// chunk is a run of whole lines. Its buffer goes back to the reader once
// the batch made of it is consumed (lines are copied out by parseChunk).
//
// A chunk does not know its first line's number: the worker numbers its
// lines from 1 and the consumer, which takes the batches in file order,
// adds the lines before (scanner.consume). Counting them on the reader
// was one more pass over every byte of the input.
type chunk struct {
	data     []byte
	buf      []byte // the whole buffer data lies in, for reuse
	overlong bool   // data is the start of one line longer than the cap
}

// chunkReader cuts a stream into chunks that end at a newline, so lines
// never straddle two chunks and workers can parse chunks in any order.
type chunkReader struct {
	r        io.Reader
	size     int
	carry    []byte
	eof      bool
	skipping bool // inside an over-long line, dropping bytes up to its end
	pending  *chunk
	pool     chan []byte // buffers handed back after use (nil: always allocate)
}

// buffer returns an empty buffer of c.size, reused when one is free.
func (c *chunkReader) buffer() []byte {
	select {
	case b := <-c.pool:
		return b[:0]
	default:
		return make([]byte, 0, c.size)
	}
}

// recycle hands a consumed buffer back.
func (c *chunkReader) recycle(b []byte) {
	if c.pool == nil || cap(b) != c.size {
		return
	}
	select {
	case c.pool <- b:
	default:
	}
}

// unread gives ch back, to be returned by the next call of next (the
// first chunk is read once to sniff the format).
func (c *chunkReader) unread(ch chunk) { c.pending = &ch }

func newChunkReader(r io.Reader, size int) *chunkReader {
	return &chunkReader{r: r, size: size}
}

// next returns the next chunk; ok is false at the end of the stream.
func (c *chunkReader) next() (ch chunk, ok bool, err error) {
	if p := c.pending; p != nil {
		c.pending = nil
		return *p, true, nil
	}
	for {
		if c.eof && len(c.carry) == 0 {
			return chunk{}, false, nil
		}
		// The carry may lie in a buffer that came back to the pool and is
		// buf itself; copy (memmove) handles the overlap.
		buf := c.buffer()[:len(c.carry)]
		copy(buf, c.carry)
		c.carry = nil
		if err := c.fill(&buf); err != nil {
			return chunk{}, false, err
		}
		if c.skipping {
			i := bytes.IndexByte(buf, '\n')
			if i < 0 {
				continue // still inside the long line
			}
			buf, c.skipping = buf[i+1:], false
		}
		if len(buf) == 0 {
			continue
		}
		whole := buf
		if !c.eof {
			last := bytes.LastIndexByte(buf, '\n')
			if last < 0 { // a full buffer without a newline: over-long line
				ch = chunk{data: buf[:min(len(buf), 512)], buf: buf, overlong: true}
				c.skipping = true
				return ch, true, nil
			}
			whole, c.carry = buf[:last+1], buf[last+1:]
		}
		return chunk{data: whole, buf: buf}, true, nil
	}
}

// fill reads until buf is full or the stream ends.
func (c *chunkReader) fill(buf *[]byte) error {
	b := *buf
	for len(b) < cap(b) && !c.eof {
		n, err := c.r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) {
			c.eof = true
		} else if err != nil {
			*buf = b
			return err
		}
	}
	*buf = b
	return nil
}

// sortRotated orders a glob's files oldest first, the way logrotate and
// newsyslog number them: for one base name, the highest number first and
// the live file last (maillog.10, maillog.9, …, maillog.1, maillog), with
// a compression suffix ignored (maillog.2.gz before maillog.1). Date
// suffixes (maillog-20261101) are older in string order already.
func sortRotated(names []string) {
	type key struct {
		base string
		num  int // -1: not numbered (the live file)
	}
	keyOf := func(name string) key {
		s := name
		for _, ext := range []string{".gz", ".bz2", ".xz", ".zst"} {
			s = strings.TrimSuffix(s, ext)
		}
		i := strings.LastIndexByte(s, '.')
		if i < 0 || i == len(s)-1 {
			return key{s, -1}
		}
		n := atoi(s[i+1:])
		if n < 0 {
			return key{s, -1}
		}
		return key{s[:i], n}
	}
	sort.SliceStable(names, func(i, j int) bool {
		a, b := keyOf(names[i]), keyOf(names[j])
		if a.base != b.base {
			return a.base < b.base
		}
		if a.num != b.num {
			return a.num > b.num // older (higher number) first, live (-1) last
		}
		return names[i] < names[j]
	})
}
