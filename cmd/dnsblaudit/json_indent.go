package main

import (
	"encoding/json"
	"io"
)

// writeIndentedJSON writes v as the commands' JSON documents are written:
// indented by two spaces, one document ending in a newline, through
// jsonSafe so that strangers' text cannot act on a terminal.
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(jsonSafe(w))
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
