package main

import (
	"bufio"
	"encoding/json"
)

// The JSON reports (check, evidence) are written as json.Encoder with
// SetIndent("", "  ") would, byte for byte, but a field or array element at
// a time, so a large report is never held whole in memory.

// streamedJSON is a value that writes itself, indented, at a nesting whose
// lines start with prefix.
type streamedJSON interface {
	write(bw *bufio.Writer, prefix string) error
}

// jsonObject is an object's fields in the order of its struct, each written
// when it comes: a field's own streamedJSON streams, any other value goes
// through json.MarshalIndent. skip stands for omitempty.
type jsonObject []struct {
	name string
	v    any
	skip bool
}

func (o jsonObject) write(bw *bufio.Writer, prefix string) error {
	bw.WriteString("{")
	first := true
	for _, f := range o {
		if f.skip {
			continue
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n" + prefix + "  \"" + f.name + "\": ")
		if err := writeJSONAt(bw, f.v, prefix+"  "); err != nil {
			return err
		}
	}
	bw.WriteString("\n" + prefix + "}")
	return nil
}

// jsonArray writes a slice an element at a time; nil is null, as the
// encoder writes it.
type jsonArray[T any] []T

func (a jsonArray[T]) write(bw *bufio.Writer, prefix string) error {
	if a == nil {
		bw.WriteString("null")
		return nil
	}
	if len(a) == 0 {
		bw.WriteString("[]")
		return nil
	}
	bw.WriteString("[")
	for i := range a {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n" + prefix + "  ")
		if err := writeJSONAt(bw, a[i], prefix+"  "); err != nil {
			return err
		}
	}
	bw.WriteString("\n" + prefix + "]")
	return nil
}

func writeJSONAt(bw *bufio.Writer, v any, prefix string) error {
	if w, ok := v.(streamedJSON); ok {
		return w.write(bw, prefix)
	}
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	_, err = bw.Write(b)
	return err
}
